import { ApiProperty } from '@nestjs/swagger';
import {
  RETURN_STATES,
  type TrackerState,
  type YearTracker,
  type YearTrackerForce,
} from '#libs/returns';
import { FreeForm, Nullable } from '../../http/openapi.js';
import { ReturnEventResponseDto } from './return-event-response.dto.js';

const TRACKER_STATES = [...RETURN_STATES, 'not started'] as const;

class YearTrackerForceDto implements YearTrackerForce {
  @ApiProperty({ example: 'derbyshire' }) forceId: string;
  @ApiProperty() forceName: string;
  @ApiProperty() regionId: string;
  @ApiProperty() regionName: string;
  @ApiProperty({ enum: TRACKER_STATES }) state: TrackerState;
  @ApiProperty({ description: '0 while not started' }) version: number;
  @ApiProperty() currentRevision: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) latestSubmittedAt:
    string | null;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'when the current revision was accepted (kept once locked); null if it was not',
  })
  acceptedAt: string | null;
  @ApiProperty({ type: ReturnEventResponseDto, nullable: true })
  lastEvent: ReturnEventResponseDto | null;
  @ApiProperty(
    Nullable(
      'integer',
      'records changed since the current revision was submitted; null while not started',
    ),
  )
  changedSinceSubmission: number | null;
}

export class YearTrackerResponseDto implements YearTracker {
  @ApiProperty({ example: '2018-19' }) year: string;
  @ApiProperty({ description: "the year's expected forces in your scope" }) forcesShown: number;
  @ApiProperty(FreeForm('forces per state')) byState: Record<TrackerState, number>;
  @ApiProperty({ type: [YearTrackerForceDto] }) forces: YearTrackerForceDto[];
}
