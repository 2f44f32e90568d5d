import { ApiProperty } from '@nestjs/swagger';
import type { UnderUseRow, UnderUseThresholds, UnderUseView } from '#libs/auditing';
import { Nullable } from '../../http/openapi.js';

class RestOfCountryDto {
  @ApiProperty() flagged: number;
  @ApiProperty() total: number;
  @ApiProperty({ type: Number, nullable: true }) rate: number | null;
}

class UnderUseRowDto implements UnderUseRow {
  @ApiProperty() forceId: string;
  @ApiProperty() group: string;
  @ApiProperty() flagged: number;
  @ApiProperty() total: number;
  @ApiProperty() rate: number;
  @ApiProperty({ type: RestOfCountryDto }) rest: RestOfCountryDto;
  @ApiProperty() nationalRate: number;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'two-proportion z-score; negative = flags less; null when the rest has no records',
  })
  z: number | null;
  @ApiProperty({ type: Number, nullable: true }) pValue: number | null;
  @ApiProperty() reading: string;
  @ApiProperty({ description: 'enough records on both sides to rank' }) ranked: boolean;
}

class ThresholdsDto implements UnderUseThresholds {
  @ApiProperty() minRecords: number;
  @ApiProperty() zThreshold: number;
}

export class UnderUseResponseDto implements UnderUseView {
  @ApiProperty({ example: '2017-18' }) year: string;
  @ApiProperty(Nullable(String, 'the group asked for; null = every group')) group: string | null;
  @ApiProperty() counted: string;
  @ApiProperty() comparison: string;
  @ApiProperty({ type: ThresholdsDto }) thresholds: ThresholdsDto;
  @ApiProperty({ type: [UnderUseRowDto] }) rows: UnderUseRowDto[];
  @ApiProperty({ type: [UnderUseRowDto], description: 'ranked rows below the threshold' })
  outliers: UnderUseRowDto[];
}
