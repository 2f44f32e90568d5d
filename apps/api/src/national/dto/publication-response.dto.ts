import { ApiProperty } from '@nestjs/swagger';
import type { PublicationContent, PublicationView } from '#libs/national';
import { FreeForm } from '../../http/openapi.js';
import { PublicationSummaryResponseDto } from './publication-summary-response.dto.js';

export class PublicationResponseDto
  extends PublicationSummaryResponseDto
  implements PublicationView
{
  @ApiProperty({ description: 'the stored content still hashes to sha256' }) verified: boolean;
  @ApiProperty(FreeForm('metadata, coverage, the disclosure-controlled tables, summary and notes'))
  content: PublicationContent;
}
