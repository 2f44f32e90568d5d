import { ApiProperty } from '@nestjs/swagger';
import { REVIEW_REASONS, type RefreshResult, type RefreshRow } from '#libs/auditing';
import { FORCES_OR_ALL } from '../../http/openapi.js';

class RefreshRowDto implements RefreshRow {
  @ApiProperty({ enum: REVIEW_REASONS.filter((r) => r !== 'added_by_auditor') })
  reason: RefreshRow['reason'];
  @ApiProperty() found: number;
  @ApiProperty({ description: 'new items (the rest were already queued)' }) added: number;
}

export class RefreshResultResponseDto implements RefreshResult {
  @ApiProperty(FORCES_OR_ALL) forces: string[] | 'all';
  @ApiProperty({ example: '2017-18' }) year: string;
  @ApiProperty() lateFlagChangeDays: number;
  @ApiProperty({ type: [RefreshRowDto] }) byReason: RefreshRowDto[];
  @ApiProperty() found: number;
  @ApiProperty() added: number;
}
