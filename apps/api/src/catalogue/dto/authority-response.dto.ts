import { ApiProperty } from '@nestjs/swagger';
import type { InvestigatingAuthority } from '#libs/catalogue';

export class AuthorityResponseDto implements InvestigatingAuthority {
  @ApiProperty({ example: 'police-scotland' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty() jurisdiction: string;
  @ApiProperty() source: string;
}
