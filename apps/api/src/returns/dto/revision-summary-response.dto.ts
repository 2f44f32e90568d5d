import { ApiProperty } from '@nestjs/swagger';
import type { HighWater, RevisionSummary } from '#libs/returns';
import { Nullable } from '../../http/openapi.js';

class HighWaterDto implements HighWater {
  @ApiProperty() recordCount: number;
  @ApiProperty() versionSum: number;
  @ApiProperty({ ...Nullable(String), format: 'date-time' }) maxUpdatedAt: string | null;
}

export class RevisionSummaryResponseDto implements RevisionSummary {
  @ApiProperty() revision: number;
  @ApiProperty({ description: 'SHA-256 of the canonical tables' }) sha256: string;
  @ApiProperty({ type: HighWaterDto, description: 'what the tables were computed from' })
  highWater: HighWaterDto;
  @ApiProperty({ format: 'date-time' }) submittedAt: string;
  @ApiProperty() submittedBy: string;
  @ApiProperty() signedOffName: string;
}
