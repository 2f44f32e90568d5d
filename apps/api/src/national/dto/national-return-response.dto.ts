import { ApiProperty } from '@nestjs/swagger';
import type {
  AreaAggregate,
  Basis,
  CoverageRow,
  MissingForce,
  NationalReturn,
} from '#libs/national';
import { FreeForm } from '../../http/openapi.js';
import { CoverageResponseDto } from './coverage-response.dto.js';
import { NationalPeriodResponseDto } from './national-period-response.dto.js';

class ReturnCountsDto {
  @ApiProperty() expected: number;
  @ApiProperty() received: number;
  @ApiProperty() accepted: number;
  @ApiProperty() included: number;
}

class NationalMetadataDto implements Omit<NationalReturn['metadata'], 'definitions'> {
  @ApiProperty({ type: NationalPeriodResponseDto }) year: NationalPeriodResponseDto;
  @ApiProperty({ enum: ['accepted', 'live'] }) basis: Basis;
  @ApiProperty({ format: 'date-time' }) generatedAt: string;
  @ApiProperty() countingUnit: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    description: 'term → definition',
  })
  definitions: Record<string, string>;
  @ApiProperty({ type: ReturnCountsDto }) returns: ReturnCountsDto;
  @ApiProperty({ type: CoverageResponseDto }) coverage: CoverageResponseDto;
}

class CoverageRowDto implements CoverageRow {
  @ApiProperty() forceId: string;
  @ApiProperty() forceName: string;
  @ApiProperty() regionId: string;
  @ApiProperty() regionName: string;
  @ApiProperty({ description: 'in the catalogue for (part of) the year' }) expected: boolean;
  @ApiProperty({ enum: ['none', 'draft', 'submitted', 'returned', 'accepted', 'locked'] })
  returnState: CoverageRow['returnState'];
  @ApiProperty() received: boolean;
  @ApiProperty() accepted: boolean;
  @ApiProperty({ description: 'counted in the totals' }) included: boolean;
  @ApiProperty({ enum: ['included', 'not received', 'received, not accepted', 'not expected'] })
  status: CoverageRow['status'];
  @ApiProperty({
    type: 'integer',
    nullable: true,
    description: 'the revision used (accepted basis)',
  })
  revision: number | null;
  @ApiProperty({ type: String, nullable: true }) sha256: string | null;
}

const AREA =
  'an area (England and Wales, a region or a force): level, id, name, coverage, the forces summed, source, per-day figures and tables A, B and C';

export class NationalReturnResponseDto implements NationalReturn {
  @ApiProperty({ type: NationalMetadataDto }) metadata: NationalMetadataDto;
  @ApiProperty({ type: [CoverageRowDto] }) coverage: CoverageRowDto[];
  @ApiProperty(FreeForm(AREA)) national: AreaAggregate;
  @ApiProperty({ type: 'array', items: FreeForm(AREA) }) regions: AreaAggregate[];
  @ApiProperty({
    type: 'array',
    items: FreeForm(`${AREA}; a force missing from the totals is a row with its status instead`),
  })
  forces: (AreaAggregate | MissingForce)[];
}
