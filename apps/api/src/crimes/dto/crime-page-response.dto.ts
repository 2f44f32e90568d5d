import { ApiProperty } from '@nestjs/swagger';
import type { CrimePage } from '#libs/crimes';
import { Nullable } from '../../http/openapi.js';
import { CrimeResponseDto } from './crime-response.dto.js';

export class CrimePageResponseDto implements CrimePage {
  @ApiProperty({ type: [CrimeResponseDto] }) items: CrimeResponseDto[];
  @ApiProperty(Nullable(String, 'send as ?cursor= for the next page; null on the last'))
  nextCursor: string | null;
}
