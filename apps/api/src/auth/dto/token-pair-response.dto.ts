import { ApiProperty } from '@nestjs/swagger';
import type { TokenPair } from '#libs/auth';

export class TokenPairResponseDto implements TokenPair {
  @ApiProperty({ enum: ['Bearer'] }) tokenType: 'Bearer';
  @ApiProperty({ description: 'send as Authorization: Bearer …' }) accessToken: string;
  @ApiProperty({ description: 'seconds until the access token expires' }) expiresIn: number;
  @ApiProperty({ description: 'POST /auth/refresh for a new pair; single use' })
  refreshToken: string;
}
