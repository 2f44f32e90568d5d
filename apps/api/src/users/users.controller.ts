import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiOkResponse,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import {
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
} from 'class-validator';
import { Catalogue } from '#libs/catalogue';
import {
  Ctx,
  Roles,
  ROLES,
  UsersService,
  type RequestContext,
  type Role,
  type IssuedUserView,
  type UserView,
} from '#libs/auth';
import { ApiUuidParam } from '../http/openapi.js';
import { IssuedUserResponseDto, UserResponseDto } from './dto/user-response.dto.js';

class CreateUserDto {
  @ApiProperty({ example: 'jsmith.derbyshire' })
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9._-]{2,63}$/)
  username: string;
  @ApiProperty({ example: 'J Smith, Derbyshire crime registrar' })
  @IsString()
  @MaxLength(200)
  displayName: string;
  @ApiProperty({ enum: ROLES, isArray: true })
  @IsArray()
  @ArrayUnique()
  @IsIn(ROLES, { each: true })
  roles: Role[];
  @ApiPropertyOptional({ type: [String], example: ['derbyshire'] })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  forceIds?: string[];
  @ApiPropertyOptional({
    example: false,
    description: 'national scope (statisticians; national auditors)',
  })
  @IsOptional()
  @IsBoolean()
  allForces?: boolean;
}
class UpdateUserDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) displayName?: string;
  @ApiPropertyOptional({ enum: ROLES, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsIn(ROLES, { each: true })
  roles?: Role[];
  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  forceIds?: string[];
  @ApiPropertyOptional() @IsOptional() @IsBoolean() allForces?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() active?: boolean;
  @ApiPropertyOptional({
    description:
      'true: the password stops working and a one-time password is issued (in the response), with which the user chooses a new one',
  })
  @IsOptional()
  @IsBoolean()
  resetPassword?: boolean;
}

// Account administration (issue #18 finding 6): an admin holds no data role, never chooses or learns a user's
// password (a new or reset account gets a one-time password that only lets its user choose one), and every change
// is in the access log.
@ApiTags('users')
@Controller('users')
@Roles('admin')
export class UsersController {
  constructor(
    private readonly users: UsersService,
    private readonly catalogue: Catalogue,
  ) {}

  @Post()
  @ApiCreatedResponse({ type: IssuedUserResponseDto })
  create(@Ctx() ctx: RequestContext, @Body() dto: CreateUserDto): Promise<IssuedUserView> {
    return this.users.invite(
      ctx,
      { ...dto, forceIds: dto.forceIds ?? [], allForces: dto.allForces ?? false },
      this.validForce,
    );
  }

  @Get()
  @ApiOkResponse({ type: [UserResponseDto] })
  list(): Promise<UserView[]> {
    return this.users.list();
  }

  @Patch(':id')
  @ApiUuidParam('id')
  @ApiOkResponse({ type: IssuedUserResponseDto })
  update(
    @Ctx() ctx: RequestContext,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateUserDto,
  ): Promise<IssuedUserView> {
    return this.users.update(ctx, id, dto, this.validForce);
  }

  private readonly validForce = (id: string) => this.catalogue.force(id)?.id === id;
}
