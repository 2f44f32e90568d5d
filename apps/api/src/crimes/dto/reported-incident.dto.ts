import { ApiProperty } from '@nestjs/swagger';
import { IsInt, IsString, IsUUID, Matches, Min } from 'class-validator';
import type { ReportedIncidentView } from '#libs/crimes';
import { DateTime, Nullable } from '../../http/openapi.js';
import { IsForceId, IsOneOf, IsReason, IsTimestamp } from '../../http/validation.js';

export class RecordN100Dto {
  @IsForceId() forceId: string;
  @ApiProperty({
    example: 'INC/2019/000451',
    description: "the force's incident (log) reference",
  })
  @IsString()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9/._-]{0,63}$/, {
    message: '$property must be an incident reference such as INC/2019/000451',
  })
  incidentReference: string;
  @IsTimestamp('when the rape or attempted rape was reported') reportedAt: string;
  @IsReason('why it was not immediately recorded as a confirmed rape crime (R21)') reason: string;
}

export class ReportedIncidentsQueryDto {
  @IsForceId(true) force?: string;
  @IsOneOf(['outstanding', 'all'], true) state?: 'outstanding' | 'all';
}

export class LinkN100CrimeDto {
  @ApiProperty({ example: 1, minimum: 1, description: 'the N100 version you read' })
  @IsInt()
  @Min(1)
  version: number;
  @ApiProperty({ format: 'uuid', description: 'the rape crime recorded for this report' })
  @IsUUID()
  crimeId: string;
}

export class ReportedIncidentResponseDto implements ReportedIncidentView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'derbyshire' }) forceId: string;
  @ApiProperty({ example: 'INC/2019/000451' }) incidentReference: string;
  @ApiProperty({ enum: ['N100'] }) classification: 'N100';
  @ApiProperty(DateTime()) reportedAt: Date;
  @ApiProperty() reason: string;
  @ApiProperty({ example: 12, description: 'whole days since the report, at the time of the list' })
  ageDays: number;
  @ApiProperty(Nullable(String, 'the crime recorded for it, once recorded')) crimeId: string | null;
  @ApiProperty(DateTime(undefined, true)) crimedAt: Date | null;
  @ApiProperty(Nullable(String)) crimedBy: string | null;
  @ApiProperty({ example: 1 }) version: number;
  @ApiProperty(DateTime()) createdAt: Date;
  @ApiProperty() createdBy: string;
}
