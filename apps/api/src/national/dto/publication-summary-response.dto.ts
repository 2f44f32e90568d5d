import { ApiProperty } from '@nestjs/swagger';
import type { PublicationSummaryView, ReturnUsed } from '#libs/national';
import { FreeForm } from '../../http/openapi.js';

class ReturnUsedDto implements ReturnUsed {
  @ApiProperty() forceId: string;
  @ApiProperty() revision: number;
  @ApiProperty() sha256: string;
}

export class PublicationSummaryResponseDto implements PublicationSummaryView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: '2020-21' }) year: string;
  @ApiProperty() title: string;
  @ApiProperty(FreeForm('the disclosure control applied')) config: Record<string, unknown>;
  @ApiProperty({ description: 'SHA-256 of the stored content' }) sha256: string;
  @ApiProperty({ type: [ReturnUsedDto], description: 'the accepted revisions published (and locked)' }) returnsUsed: ReturnUsedDto[];
  @ApiProperty({ format: 'date-time' }) publishedAt: string;
  @ApiProperty() publishedBy: string;
}
