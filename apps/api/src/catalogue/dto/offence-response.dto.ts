import { ApiProperty } from '@nestjs/swagger';
import type { OffenceDefinition } from '#libs/catalogue';
import { Nullable } from '../../http/openapi.js';

const SOURCE_STATUSES = ['CONFIRMED', 'SECONDARY', 'INFERRED', 'UNCONFIRMED'];

export class OffenceResponseDto implements OffenceDefinition {
  @ApiProperty({ example: '71/17', description: 'Home Office class / sub-code' }) code: string;
  @ApiProperty() name: string;
  @ApiProperty({ example: 'sexual offences' }) group: string;
  @ApiProperty() subgroup: string;
  @ApiProperty({ description: 'counts towards the child sexual offence tables (returns table B)' })
  sexualOffence: boolean;
  @ApiProperty() rape: boolean;
  @ApiProperty(Nullable('integer', 'inclusive; null = no limit')) victimAgeMin: number | null;
  @ApiProperty(Nullable('integer', 'inclusive; null = no limit')) victimAgeMax: number | null;
  @ApiProperty({ enum: ['female', 'male'], nullable: true })
  victimSex: OffenceDefinition['victimSex'];
  @ApiProperty(Nullable('integer')) offenderAgeMin: number | null;
  @ApiProperty(Nullable('integer')) offenderAgeMax: number | null;
  @ApiProperty(Nullable(String, 'the code to use for a victim under 13')) under13Alternative:
    string | null;
  @ApiProperty() usuallyOnline: boolean;
  @ApiProperty({ enum: ['police', 'action_fraud'] }) recordedBy: OffenceDefinition['recordedBy'];
  @ApiProperty({
    ...Nullable(String, 'conduct before this date cannot be recorded under the code'),
    format: 'date',
  })
  commencedOn: string | null;
  @ApiProperty({ format: 'date' }) validFrom: string;
  @ApiProperty({ ...Nullable(String), format: 'date' }) validTo: string | null;
  @ApiProperty({ enum: SOURCE_STATUSES }) status: OffenceDefinition['status'];
  @ApiProperty() source: string;
  @ApiProperty({
    type: [String],
    description: 'the codes that replaced this one when it stopped (by recorded date)',
  })
  replacedBy: string[];
  @ApiProperty({
    enum: ['offence', 'image'],
    description:
      'whose age the victim age limits read: at the offence date, or when an image was made (86/2)',
  })
  victimAgeAt: OffenceDefinition['victimAgeAt'];
  @ApiProperty({
    type: [String],
    nullable: true,
    description:
      'method words that make the offence usually online (CF-FLAG-003); null: usually online whatever the method',
  })
  usuallyOnlineMethodKeywords: string[] | null;
  @ApiProperty({
    type: [String],
    description: 'hate strands the code implies (aggravated offences: CF-HATE-002)',
  })
  impliedHateStrands: string[];
  @ApiProperty({ description: "counted in a return's table B" }) tableB: boolean;
  @ApiProperty({ description: 'has a personal victim (table C unknown victim age)' })
  personalVictim: boolean;
}
