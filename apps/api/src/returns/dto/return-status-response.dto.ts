import { ApiProperty } from '@nestjs/swagger';
import {
  RETURN_STATES,
  type ReturnAction,
  type ReturnState,
  type ReturnStatus,
} from '#libs/returns';

export const RETURN_ACTIONS: ReturnAction[] = ['submit', 'resubmit', 'accept', 'return'];

export class ReturnStatusResponseDto implements ReturnStatus {
  @ApiProperty({ enum: RETURN_STATES }) state: ReturnState;
  @ApiProperty({ description: 'send back on a transition; 0 while no revision exists' })
  version: number;
  @ApiProperty() currentRevision: number;
  @ApiProperty({ enum: RETURN_ACTIONS, isArray: true, description: 'what you may do next' })
  actions: ReturnAction[];
  @ApiProperty({
    type: [String],
    description:
      'the return rules (CF-RET-…) that stop a submission now; empty when nothing blocks',
  })
  blockedBy: string[];
}
