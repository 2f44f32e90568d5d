import { Body, Controller, Get, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import {
  ApiBody,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiTags,
} from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import {
  AuthService,
  LocalAuthGuard,
  Public,
  Roles,
  ROLES,
  type Actor,
  type MeView,
  type TokenPair,
  type UserRow,
} from '#libs/auth';
import { MeResponseDto } from './dto/me-response.dto.js';
import { TokenPairResponseDto } from './dto/token-pair-response.dto.js';

class LoginDto {
  @ApiProperty() @IsString() @MaxLength(64) username: string;
  @ApiProperty() @IsString() @MaxLength(256) password: string;
}
class ChoosePasswordDto {
  @ApiProperty({
    description: 'the setupToken of the 403 PASSWORD_CHANGE_REQUIRED answer to a one-time password',
  })
  @IsString()
  @MaxLength(1000)
  setupToken: string;
  @ApiProperty({
    description: 'at least 12 characters',
    example: 'a long passphrase only you know',
  })
  @IsString()
  @MaxLength(256)
  newPassword: string;
}
class RefreshDto {
  @ApiProperty() @IsString() @MaxLength(200) refreshToken: string;
}

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  // Rate-limited per client (configureApp) on top of the login throttle per account and source.
  @Post('login')
  @Public()
  @HttpCode(200)
  @UseGuards(LocalAuthGuard)
  @ApiBody({ type: LoginDto })
  @ApiOperation({ summary: 'Username + password → short-lived access token and a refresh token' })
  @ApiOkResponse({ type: TokenPairResponseDto })
  login(@Req() req: { user: UserRow }): Promise<TokenPair> {
    return this.auth.login(req.user);
  }

  // Signing in with a one-time password (a new or reset account) answers 403 PASSWORD_CHANGE_REQUIRED with a
  // setupToken; with it the user chooses their own password here, and gets a session.
  @Post('password')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'After a one-time password: choose your own password, and sign in' })
  @ApiOkResponse({ type: TokenPairResponseDto })
  choosePassword(@Body() dto: ChoosePasswordDto): Promise<TokenPair> {
    return this.auth.choosePassword(dto.setupToken, dto.newPassword, 'POST /auth/password');
  }

  @Post('refresh')
  @Public()
  @HttpCode(200)
  @ApiOkResponse({ type: TokenPairResponseDto })
  refresh(@Body() dto: RefreshDto): Promise<TokenPair> {
    return this.auth.refresh(dto.refreshToken);
  }

  @Get('me')
  @Roles(...ROLES)
  @ApiOkResponse({ type: MeResponseDto })
  @ApiOperation({
    summary: 'Who am I: username, roles, forces, and when the access token and the session expire',
  })
  me(
    @Req() req: { actor: Actor & { sessionId: string; accessExpiresAt: Date | null } },
  ): Promise<MeView> {
    return this.auth.me(req.actor);
  }

  @Post('logout')
  @HttpCode(204)
  @Roles(...ROLES)
  @ApiOperation({ summary: 'End this session: its access and refresh tokens stop working at once' })
  @ApiNoContentResponse({ description: 'session ended' })
  logout(@Req() req: { actor: Actor & { sessionId: string } }): Promise<void> {
    return this.auth.logout(req.actor.sessionId);
  }
}
