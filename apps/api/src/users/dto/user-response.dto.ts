import { ApiProperty } from '@nestjs/swagger';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { ROLES, type IssuedUserView, type Role, type UserView } from '#libs/auth';
import { DateTime } from '../../http/openapi.js';

export class UserResponseDto implements UserView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() username: string;
  @ApiProperty() displayName: string;
  @ApiProperty({ enum: ROLES, isArray: true }) roles: Role[];
  @ApiProperty({ type: [String] }) forceIds: string[];
  @ApiProperty() allForces: boolean;
  @ApiProperty() active: boolean;
  @ApiProperty({
    description:
      'the account has a one-time password only: its user must choose their own at their next sign-in',
  })
  mustSetPassword: boolean;
  @ApiProperty(DateTime('locked after repeated failed logins until then', true))
  lockedUntil: Date | null;
  @ApiProperty(DateTime()) createdAt: Date;
  @ApiProperty() createdBy: string;
}

// POST /users and PATCH /users/:id: with the one-time password when one was issued (a new account, or
// resetPassword). Hand it to the user: it lets them do nothing but choose their own password (POST /auth/password).
export class IssuedUserResponseDto extends UserResponseDto implements IssuedUserView {
  @ApiPropertyOptional({ description: 'shown once; signs in only to choose a password' })
  oneTimePassword?: string;
  @ApiPropertyOptional(DateTime('when the one-time password stops working'))
  oneTimePasswordExpiresAt?: Date;
}
