import { ApiProperty } from '@nestjs/swagger';
import { ROLES, type Role, type UserView } from '#libs/auth';
import { DateTime } from '../../http/openapi.js';

export class UserResponseDto implements UserView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() username: string;
  @ApiProperty() displayName: string;
  @ApiProperty({ enum: ROLES, isArray: true }) roles: Role[];
  @ApiProperty({ type: [String] }) forceIds: string[];
  @ApiProperty() allForces: boolean;
  @ApiProperty() active: boolean;
  @ApiProperty(DateTime('locked after repeated failed logins until then', true))
  lockedUntil: Date | null;
  @ApiProperty(DateTime()) createdAt: Date;
  @ApiProperty() createdBy: string;
}
