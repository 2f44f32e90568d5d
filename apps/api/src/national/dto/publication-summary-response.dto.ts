import { ApiProperty } from '@nestjs/swagger';
import type { Checkpoint } from '#libs/access-log';
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

class AccessLogCheckpointDto implements Checkpoint {
  @ApiProperty({ format: 'uuid', description: "the access log's chain" }) chainId: string;
  @ApiProperty({ description: 'position of the sealed head in the chain' }) pos: string;
  @ApiProperty({ description: 'its entry number (seq)' }) seq: string;
  @ApiProperty({ description: 'its keyed hash (HMAC-SHA256, hex)' }) hash: string;
  @ApiProperty({ format: 'date-time', description: 'when the checkpoint was signed' }) at: string;
  @ApiProperty({ description: 'signature of the checkpoint with the chain key (HMAC-SHA256, hex)' })
  mac: string;
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
  @ApiProperty({
    type: AccessLogCheckpointDto,
    nullable: true,
    description:
      "the access log's signed head when it was published, anchoring the log outside the database (cyberflag audit verify --checkpoint); null when none was kept",
  })
  accessLogCheckpoint: AccessLogCheckpointDto | null;
}
