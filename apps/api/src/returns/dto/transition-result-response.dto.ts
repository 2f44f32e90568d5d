import { ApiProperty } from '@nestjs/swagger';
import { RETURN_STATES, type ReturnState, type TransitionResult } from '#libs/returns';
import { ReturnEventResponseDto } from './return-event-response.dto.js';
import { RevisionSummaryResponseDto } from './revision-summary-response.dto.js';

export class TransitionResultResponseDto implements TransitionResult {
  @ApiProperty() forceId: string;
  @ApiProperty() year: string;
  @ApiProperty({ enum: RETURN_STATES }) state: ReturnState;
  @ApiProperty() version: number;
  @ApiProperty() currentRevision: number;
  @ApiProperty({ type: RevisionSummaryResponseDto, nullable: true })
  latestRevision: RevisionSummaryResponseDto | null;
  @ApiProperty({ type: ReturnEventResponseDto }) event: ReturnEventResponseDto;
}
