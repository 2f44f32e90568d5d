import { ApiProperty } from '@nestjs/swagger';
import type { ReviewPage } from '#libs/auditing';
import { Nullable } from '../../http/openapi.js';
import { ReviewItemResponseDto } from './review-item-response.dto.js';

export class ReviewPageResponseDto implements ReviewPage {
  @ApiProperty({ type: [ReviewItemResponseDto] }) items: ReviewItemResponseDto[];
  @ApiProperty(Nullable(String, 'send as ?cursor= for the next page; null on the last'))
  nextCursor: string | null;
}
