import { ApiProperty } from '@nestjs/swagger';
import type { CrimeView } from '#libs/crimes';
import {
  HATE_STRANDS,
  type CrimeStatus,
  type HateStrand,
  type OnlineFlag,
  type VictimSex,
} from '#libs/recording-rules';
import { DateTime, Nullable } from '../../http/openapi.js';

// A crime as the API returns it. `implements` keeps the document in step with the view: a field added to
// CrimeView and not documented here fails the typecheck.
export class CrimeResponseDto implements CrimeView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'derbyshire' }) forceId: string;
  @ApiProperty({ example: 'DY/2015/000123' }) crimeReference: string;
  @ApiProperty({ example: '71/17' }) offenceCode: string;
  @ApiProperty(
    Nullable(String, "the force's incident reference, shared by the records of one incident"),
  )
  incidentReference: string | null;
  @ApiProperty({ example: '2018-19', description: 'financial year of recordedAt' })
  financialYear: string;
  @ApiProperty({ enum: ['draft', 'confirmed', 'cancelled', 'transferred'] }) status: CrimeStatus;
  @ApiProperty(DateTime()) reportedAt: Date;
  @ApiProperty(DateTime()) recordedAt: Date;
  @ApiProperty(DateTime()) offenceFrom: Date;
  @ApiProperty(DateTime(undefined, true)) offenceTo: Date | null;
  @ApiProperty({ enum: ['yes', 'no', 'unknown'] }) onlineFlag: OnlineFlag;
  @ApiProperty(Nullable(String)) onlineMethod: string | null;
  @ApiProperty(Nullable(String)) onlinePlatform: string | null;
  @ApiProperty(Nullable('integer', 'null = unknown')) victimAge: number | null;
  @ApiProperty({ enum: ['female', 'male', 'unknown'] }) victimSex: VictimSex;
  @ApiProperty(Nullable('integer')) suspectAge: number | null;
  @ApiProperty() domesticAbuse: boolean;
  @ApiProperty({ enum: HATE_STRANDS, isArray: true }) hateStrands: HateStrand[];
  @ApiProperty() childSexualExploitation: boolean;
  @ApiProperty() childSexualAbuse: boolean;
  @ApiProperty({ type: [String], description: "codes of 'warn'-severity rules the record breaks" })
  ruleWarnings: string[];
  @ApiProperty({
    type: [String],
    description: "codes of 'confirm'-severity rules the registrar accepted",
  })
  acknowledgedRules: string[];
  @ApiProperty(Nullable(String)) cancellationCategory: string | null;
  @ApiProperty(Nullable(String)) cancellationJustification: string | null;
  @ApiProperty(DateTime(undefined, true)) cancelledAt: Date | null;
  @ApiProperty(Nullable(String)) cancelledBy: string | null;
  @ApiProperty(Nullable(String)) transferredToForceId: string | null;
  @ApiProperty(
    Nullable(
      String,
      'an investigating authority outside the 44 forces (Police Scotland, PSNI), for a transfer there',
    ),
  )
  transferredToAuthorityId: string | null;
  @ApiProperty({ example: 1, description: 'send it back on a change (optimistic locking)' })
  version: number;
  @ApiProperty(DateTime()) createdAt: Date;
  @ApiProperty() createdBy: string;
  @ApiProperty(DateTime()) updatedAt: Date;
  @ApiProperty() updatedBy: string;
  @ApiProperty({
    ...Nullable(String, 'the bulk import that created the record, if one did'),
    format: 'uuid',
  })
  importId: string | null;
}
