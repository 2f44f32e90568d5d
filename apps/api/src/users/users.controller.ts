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
  type UserView,
} from '#libs/auth';
import { ApiUuidParam } from '../http/openapi.js';
import { UserResponseDto } from './dto/user-response.dto.js';

class CreateUserDto {
  @ApiProperty({ example: 'jsmith.derbyshire' })
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9._-]{2,63}$/)
  username: string;
  @ApiProperty({ example: 'J Smith, Derbyshire crime registrar' })
  @IsString()
  @MaxLength(200)
  displayName: string;
  @ApiProperty({
    example: 'a long passphrase only you know',
    description: 'at least 12 characters',
  })
  @IsString()
  @MaxLength(256)
  password: string;
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
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(256) password?: string;
}

@ApiTags('users')
@Controller('users')
@Roles('admin')
export class UsersController {
  constructor(
    private readonly users: UsersService,
    private readonly catalogue: Catalogue,
  ) {}

  @Post()
  @ApiCreatedResponse({ type: UserResponseDto })
  create(@Ctx() ctx: RequestContext, @Body() dto: CreateUserDto): Promise<UserView> {
    const valid = (id: string) => this.catalogue.force(id)?.id === id;
    return this.users.create(
      ctx.actor.userId,
      { ...dto, forceIds: dto.forceIds ?? [], allForces: dto.allForces ?? false },
      valid,
    );
  }

  @Get()
  @ApiOkResponse({ type: [UserResponseDto] })
  list(): Promise<UserView[]> {
    return this.users.list();
  }

  @Patch(':id')
  @ApiUuidParam('id')
  @ApiOkResponse({ type: UserResponseDto })
  update(@Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateUserDto): Promise<UserView> {
    return this.users.update(id, dto, (f) => this.catalogue.force(f)?.id === f);
  }
}
