import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { CompletenessFigures, CompletenessView } from '#libs/auditing';
import { FORCES_OR_ALL, Nullable } from '../../http/openapi.js';

const SHARE = (what: string) =>
  ({ type: Number, nullable: true, description: `${what}; null with no records` }) as const;

class CompletenessFiguresDto implements CompletenessFigures {
  @ApiProperty(Nullable(String, 'null on totals')) group: string | null;
  @ApiProperty(Nullable(String, 'by=code only')) code: string | null;
  @ApiProperty() records: number;
  @ApiProperty() flagYes: number;
  @ApiProperty() flagNo: number;
  @ApiProperty() flagUnknown: number;
  @ApiProperty(SHARE('(yes + no) / records')) flagSetShare: number | null;
  @ApiProperty(SHARE('unknown / records')) flagUnknownShare: number | null;
  @ApiProperty() ageKnown: number;
  @ApiProperty(SHARE('age known / records')) ageKnownShare: number | null;
}

class CompletenessMonthDto {
  @ApiProperty({ example: '2017-04' }) month: string;
  @ApiProperty({ type: CompletenessFiguresDto }) total: CompletenessFiguresDto;
  @ApiProperty({ type: [CompletenessFiguresDto] }) breakdown: CompletenessFiguresDto[];
}

export class CompletenessResponseDto implements CompletenessView {
  @ApiProperty(FORCES_OR_ALL) forces: string[] | 'all';
  @ApiProperty({ example: '2017-18' }) year: string;
  @ApiProperty({ enum: ['group', 'code'] }) by: CompletenessView['by'];
  @ApiProperty({ description: 'what is counted' }) counted: string;
  @ApiProperty({ type: CompletenessFiguresDto }) total: CompletenessFiguresDto;
  @ApiProperty({ type: [CompletenessFiguresDto] }) breakdown: CompletenessFiguresDto[];
  @ApiPropertyOptional({ type: [CompletenessMonthDto], description: 'interval=month only' })
  months?: CompletenessMonthDto[];
}
