import { ApiProperty } from '@nestjs/swagger';
import type { AreaChange, ComparedForce, MeasureChange, YearComparison } from '#libs/national';
import { CoverageResponseDto } from './coverage-response.dto.js';
import { NationalPeriodResponseDto } from './national-period-response.dto.js';

type ComparisonMetadata = YearComparison['metadata'];
const NUMBER_OR_NULL = { type: Number, nullable: true } as const;

class ComparisonMetadataDto implements ComparisonMetadata {
  @ApiProperty({ type: NationalPeriodResponseDto }) year: NationalPeriodResponseDto;
  @ApiProperty({ type: NationalPeriodResponseDto, description: 'the base year' })
  otherYear: NationalPeriodResponseDto;
  @ApiProperty({ enum: ['accepted'] }) basis: 'accepted';
  @ApiProperty({ format: 'date-time' }) generatedAt: string;
  @ApiProperty({ type: CoverageResponseDto }) coverage: CoverageResponseDto;
  @ApiProperty() method: string;
}

class ComparedForceDto implements ComparedForce {
  @ApiProperty() forceId: string;
  @ApiProperty() forceName: string;
  @ApiProperty() regionId: string;
}

class ExcludedForceDto extends ComparedForceDto {
  @ApiProperty() reason: string;
}

class MeasureChangeDto implements MeasureChange {
  @ApiProperty({
    enum: [
      'recordedCrimes',
      'onlineFlagged',
      'pctFlagged',
      'childSexualOffences',
      'rapes',
      'underTen',
      'childSexualOffencesPerDay',
    ],
  })
  measure: MeasureChange['measure'];
  @ApiProperty({ ...NUMBER_OR_NULL, description: 'the other (earlier) year' }) base: number | null;
  @ApiProperty({ ...NUMBER_OR_NULL, description: 'the year asked for' }) current: number | null;
  @ApiProperty({
    ...NUMBER_OR_NULL,
    description: 'current − base; percentage points for pctFlagged',
  })
  change: number | null;
  @ApiProperty({
    ...NUMBER_OR_NULL,
    description: 'change ÷ base × 100; null for pctFlagged or a zero base',
  })
  pctChange: number | null;
}

class AreaChangeDto implements AreaChange {
  @ApiProperty({ enum: ['national', 'region', 'force'] }) level: AreaChange['level'];
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty({ type: CoverageResponseDto }) coverage: CoverageResponseDto;
  @ApiProperty({ type: [MeasureChangeDto] }) measures: MeasureChangeDto[];
}

export class YearComparisonResponseDto implements YearComparison {
  @ApiProperty({ type: ComparisonMetadataDto }) metadata: ComparisonMetadataDto;
  @ApiProperty({ type: [ComparedForceDto] }) forcesIncluded: ComparedForceDto[];
  @ApiProperty({ type: [ExcludedForceDto] }) forcesExcluded: ExcludedForceDto[];
  @ApiProperty({ type: AreaChangeDto }) national: AreaChangeDto;
  @ApiProperty({ type: [AreaChangeDto] }) regions: AreaChangeDto[];
  @ApiProperty({ type: [AreaChangeDto] }) forces: AreaChangeDto[];
}
