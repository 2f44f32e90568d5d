import { ApiProperty } from '@nestjs/swagger';
import {
  RETURN_STATES,
  type ChangedRecord,
  type ChangedSinceSubmission,
  type ForceReturnTables,
  type ReturnAction,
  type ReturnState,
  type ReturnView,
} from '#libs/returns';
import { FreeForm } from '../../http/openapi.js';
import { ReturnEventResponseDto } from './return-event-response.dto.js';
import { RETURN_ACTIONS } from './return-status-response.dto.js';
import { RevisionSummaryResponseDto } from './revision-summary-response.dto.js';

class ChangedRecordDto implements ChangedRecord {
  @ApiProperty({ format: 'uuid' }) crimeId: string;
  @ApiProperty() crimeReference: string;
  @ApiProperty({ description: 'history entries since the submission' }) changes: number;
  @ApiProperty({ format: 'date-time' }) lastChangedAt: string;
}

class ChangedSinceSubmissionDto implements ChangedSinceSubmission {
  @ApiProperty() revision: number;
  @ApiProperty({ format: 'date-time' }) submittedAt: string;
  @ApiProperty() recordCount: number;
  @ApiProperty({
    type: [ChangedRecordDto],
    nullable: true,
    description: 'for callers with record-level access only',
  })
  records: ChangedRecordDto[] | null;
  @ApiProperty() truncated: boolean;
  @ApiProperty() highWaterMoved: boolean;
  @ApiProperty({ example: '14 records changed since revision 2 was submitted' }) message: string;
}

export class ReturnResponseDto implements ReturnView {
  @ApiProperty({ example: 'derbyshire' }) forceId: string;
  @ApiProperty({ example: '2015-16' }) year: string;
  @ApiProperty({ enum: RETURN_STATES }) state: ReturnState;
  @ApiProperty({ description: 'send back on a transition; 0 while no revision exists' })
  version: number;
  @ApiProperty() currentRevision: number;
  @ApiProperty({ type: RevisionSummaryResponseDto, nullable: true })
  latestRevision: RevisionSummaryResponseDto | null;
  @ApiProperty({
    type: Boolean,
    nullable: true,
    description: 'live tables differ from the latest revision; null without one',
  })
  dataChangedSinceRevision: boolean | null;
  @ApiProperty({ type: ChangedSinceSubmissionDto, nullable: true })
  changedSinceSubmission: ChangedSinceSubmissionDto | null;
  @ApiProperty({ enum: RETURN_ACTIONS, isArray: true }) actions: ReturnAction[];
  @ApiProperty({
    type: [String],
    description:
      'the return rules (CF-RET-…) that stop a submission now; empty when nothing blocks',
  })
  blockedBy: string[];
  @ApiProperty({ type: [ReturnEventResponseDto] }) events: ReturnEventResponseDto[];
  @ApiProperty(FreeForm('the live draft: metadata and tables A, B and C (docs/return-format.md)'))
  draft: ForceReturnTables;
}
