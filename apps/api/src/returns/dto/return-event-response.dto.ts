import { ApiProperty } from '@nestjs/swagger';
import {
  RETURN_STATES,
  type ReturnEventAction,
  type ReturnEventView,
  type ReturnState,
} from '#libs/returns';
import { Nullable } from '../../http/openapi.js';
import { RETURN_ACTIONS } from './return-status-response.dto.js';

export class ReturnEventResponseDto implements ReturnEventView {
  @ApiProperty() revision: number;
  @ApiProperty({ enum: [...RETURN_ACTIONS, 'lock'] }) action: ReturnEventAction;
  @ApiProperty({ enum: RETURN_STATES }) fromState: ReturnState;
  @ApiProperty({ enum: RETURN_STATES }) toState: ReturnState;
  @ApiProperty(Nullable(String)) reason: string | null;
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty() by: string;
}
