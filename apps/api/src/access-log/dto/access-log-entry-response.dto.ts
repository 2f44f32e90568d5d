import { ApiProperty } from '@nestjs/swagger';
import { ACCESS_ACTIONS, type AccessAction, type AccessLogView } from '#libs/access-log';
import { DateTime, FreeForm, Nullable } from '../../http/openapi.js';

export class AccessLogEntryResponseDto implements AccessLogView {
  @ApiProperty({
    example: '42',
    description: 'sequence number (a string: it is a bigint); ?after= pages on it',
  })
  seq: string;
  @ApiProperty(DateTime()) at: Date;
  @ApiProperty() userId: string;
  @ApiProperty({ enum: ACCESS_ACTIONS }) action: AccessAction;
  @ApiProperty({ type: [String] }) forceIds: string[];
  @ApiProperty(Nullable(String)) purpose: string | null;
  @ApiProperty(Nullable(String)) justification: string | null;
  @ApiProperty({ example: 'GET /crimes/:id' }) route: string;
  @ApiProperty(FreeForm('for list queries: the filters, not every row', true)) query: Record<
    string,
    unknown
  > | null;
  @ApiProperty({ type: [String] }) recordIds: string[];
  @ApiProperty({
    description:
      'record ids of other forces than yours in the entry, left out of recordIds (force-scoped auditors)',
  })
  recordIdsWithheld: number;
  @ApiProperty() recordCount: number;
  @ApiProperty(Nullable(String)) requestId: string | null;
  @ApiProperty({
    ...Nullable(String),
    description:
      'hash chaining this entry to the one before (cyberflag audit verify); null until the sealer chains it, within seconds of its commit',
  })
  hash: string | null;
}
