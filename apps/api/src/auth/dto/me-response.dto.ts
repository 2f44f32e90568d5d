import { ApiProperty } from '@nestjs/swagger';
import type { MeView } from '#libs/auth';
import { DateTime } from '../../http/openapi.js';

class SessionDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty(DateTime('when this access token expires', true)) accessTokenExpiresAt: Date | null;
  @ApiProperty(DateTime('when the session ends unless it is refreshed (its refresh token expires)'))
  refreshExpiresAt: Date;
}

export class MeResponseDto implements MeView {
  @ApiProperty() username: string;
  @ApiProperty() displayName: string;
  @ApiProperty({
    type: [String],
    enum: ['registrar', 'force_crime_registrar', 'auditor', 'statistician', 'admin'],
  })
  roles: string[];
  @ApiProperty({
    oneOf: [
      { type: 'array', items: { type: 'string' } },
      { type: 'string', enum: ['all'] },
    ],
    description: 'force ids, or "all" for national roles',
  })
  forces: string[] | 'all';
  @ApiProperty({ type: SessionDto }) session: SessionDto;
}
