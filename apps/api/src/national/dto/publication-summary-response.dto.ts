import { ApiProperty } from '@nestjs/swagger';
import type { PublicationSummaryView, ReturnUsed } from '#libs/national';
import { FreeForm } from '../../http/openapi.js';

class ReturnUsedDto implements ReturnUsed {
  @ApiProperty() forceId: string;
  @ApiProperty() revision: number;
  @ApiProperty() sha256: string;
}

class SupersededByDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'date-time' }) publishedAt: string;
}

export class PublicationSummaryResponseDto implements PublicationSummaryView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({
    enum: ['current', 'superseded'],
    description: "'superseded' once a later publication of the year replaced it",
  })
  status: 'current' | 'superseded';
  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'the publication this one replaces',
  })
  supersedes: string | null;
  @ApiProperty({ type: SupersededByDto, nullable: true }) supersededBy: SupersededByDto | null;
  @ApiProperty({ example: '2020-21' }) year: string;
  @ApiProperty() title: string;
  @ApiProperty(FreeForm('the disclosure control applied')) config: Record<string, unknown>;
  @ApiProperty({ description: 'SHA-256 of the stored content' }) sha256: string;
  @ApiProperty({
    type: [ReturnUsedDto],
    description: 'the accepted revisions published (and locked)',
  })
  returnsUsed: ReturnUsedDto[];
  @ApiProperty({ format: 'date-time' }) publishedAt: string;
  @ApiProperty() publishedBy: string;
}
