import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { BulkItemResult, BulkResult } from '#libs/crimes';
import { FreeForm } from '../../http/openapi.js';
import { CrimeResponseDto } from './crime-response.dto.js';

class BulkItemErrorDto {
  @ApiProperty({ example: 'RULE_VIOLATION' }) code: string;
  @ApiProperty() message: string;
  @ApiPropertyOptional(
    FreeForm('as in the single-record error (rule codes and findings for a 422)'),
  )
  details?: unknown;
}

class BulkItemResultDto implements BulkItemResult {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['done', 'failed', 'rolled_back'] }) outcome: BulkItemResult['outcome'];
  @ApiPropertyOptional({
    type: CrimeResponseDto,
    description: 'the record after this item (done only)',
  })
  crime?: CrimeResponseDto;
  @ApiPropertyOptional({ type: BulkItemErrorDto }) error?: BulkItemErrorDto;
}

export class BulkResultResponseDto implements BulkResult {
  @ApiProperty({ enum: ['all_or_nothing', 'per_item'] }) mode: BulkResult['mode'];
  @ApiProperty() done: number;
  @ApiProperty() failed: number;
  @ApiProperty({ type: [BulkItemResultDto] }) results: BulkItemResultDto[];
}
