import { ApiProperty } from '@nestjs/swagger';
import type { RevisionList } from '#libs/returns';
import { ReturnStatusResponseDto } from './return-status-response.dto.js';
import { RevisionSummaryResponseDto } from './revision-summary-response.dto.js';

export class RevisionListResponseDto implements RevisionList {
  @ApiProperty() forceId: string;
  @ApiProperty() year: string;
  @ApiProperty({ type: ReturnStatusResponseDto }) status: ReturnStatusResponseDto;
  @ApiProperty({ type: [RevisionSummaryResponseDto], description: 'oldest first' })
  revisions: RevisionSummaryResponseDto[];
}
