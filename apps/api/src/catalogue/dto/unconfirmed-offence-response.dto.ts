import { ApiProperty } from '@nestjs/swagger';
import type { UnconfirmedOffence } from '#libs/catalogue';
import { Nullable } from '../../http/openapi.js';

export class UnconfirmedOffenceResponseDto implements UnconfirmedOffence {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty() statute: string;
  @ApiProperty({
    ...Nullable(String, 'when the offence came into force, where a source gives it'),
    format: 'date',
  })
  inForceFrom: string | null;
  @ApiProperty(Nullable(String, 'where forces or research suggest it is recorded: UNCONFIRMED'))
  candidateCode: string | null;
  @ApiProperty() source: string;
}
