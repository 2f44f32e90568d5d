import { ApiProperty } from '@nestjs/swagger';
import type { PublicationContent, PublicationPreview } from '#libs/national';
import { FreeForm } from '../../http/openapi.js';

export class PublicationPreviewResponseDto implements PublicationPreview {
  @ApiProperty({ example: '2018-19' }) year: string;
  @ApiProperty() title: string;
  @ApiProperty(FreeForm('the disclosure settings used')) config: Record<string, unknown>;
  @ApiProperty(
    FreeForm(
      'what the publication would hold: metadata, coverage, the disclosure-controlled tables, the information-loss report, summary and notes',
    ),
  )
  content: PublicationContent;
}
