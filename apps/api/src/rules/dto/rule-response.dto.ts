import { ApiProperty } from '@nestjs/swagger';
import type { RuleDescription } from '#libs/recording-rules';
import { Nullable } from '../../http/openapi.js';

export class RuleResponseDto implements RuleDescription {
  @ApiProperty({ example: 'CF-AGE-001' }) code: string;
  @ApiProperty({ enum: ['crime', 'cancellation', 'reclassification'] })
  subject: RuleDescription['subject'];
  @ApiProperty({
    enum: ['block', 'confirm', 'warn'],
    description: 'effective, after the configuration',
  })
  severity: RuleDescription['severity'];
  @ApiProperty() enabled: boolean;
  @ApiProperty() message: string;
  @ApiProperty({ description: 'the counting rule it implements' }) reference: string;
  @ApiProperty({ enum: ['CONFIRMED', 'SECONDARY', 'INFERRED', 'UNCONFIRMED'] })
  basis: RuleDescription['basis'];
  @ApiProperty(Nullable('integer', 'first financial year it applies to (start year)')) fromYear:
    number | null;
  @ApiProperty(Nullable('integer', 'last financial year it applies to (start year)')) toYear:
    number | null;
}
