import { ApiProperty } from '@nestjs/swagger';
import { VERDICTS, type SampledRecordView, type Verdict } from '#libs/auditing';
import { DateTime, Nullable } from '../../http/openapi.js';

class VerdictViewDto implements NonNullable<SampledRecordView['verdict']> {
  @ApiProperty({ enum: VERDICTS }) flag: Verdict;
  @ApiProperty({ enum: VERDICTS }) classification: Verdict;
  @ApiProperty(Nullable(String)) note: string | null;
  @ApiProperty(DateTime()) at: Date;
  @ApiProperty() by: string;
}

export class SampledRecordResponseDto implements SampledRecordView {
  @ApiProperty({ format: 'uuid' }) crimeId: string;
  @ApiProperty() crimeReference: string;
  @ApiProperty() offenceCode: string;
  @ApiProperty({ enum: ['yes', 'no', 'unknown'] }) onlineFlag: string;
  @ApiProperty(DateTime()) recordedAt: Date;
  @ApiProperty({ description: 'offence group' }) stratum: string;
  @ApiProperty() drawOrder: number;
  @ApiProperty({ type: VerdictViewDto, nullable: true, description: 'null until recorded' })
  verdict: VerdictViewDto | null;
}
