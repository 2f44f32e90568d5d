import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { FindingView } from '#libs/recording-rules';
import { FreeForm } from '../../http/openapi.js';

// A recording-rule finding, as validation answers it and as a 422's details.violations carry it.
export class FindingResponseDto implements FindingView {
  @ApiProperty({ example: 'CF-AGE-005' }) code: string;
  @ApiProperty({ enum: ['block', 'confirm', 'warn'] }) severity: FindingView['severity'];
  @ApiProperty() message: string;
  @ApiProperty({ description: 'counting rule or statute, and the domain.md rule number' })
  reference: string;
  @ApiProperty({ type: [String], description: 'the record fields the rule looks at' })
  fields: string[];
  @ApiPropertyOptional({ description: 'what the caller can do, where there is something to do' })
  hint?: string;
  @ApiPropertyOptional(FreeForm('the values that broke the rule')) details?: Record<
    string,
    unknown
  >;
}
