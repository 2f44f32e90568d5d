import { Module, type DynamicModule } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { AUTH_CONFIG, type AuthConfig } from './auth.config.js';
import { AuthService } from './auth.service.js';
import { SessionCache } from './session-cache.js';
import { LocalStrategy } from './strategies.js';
import { UsersService } from './users.service.js';
import { WebSessions } from './web-session.js';

@Module({})
export class AuthModule {
  static register(config: AuthConfig): DynamicModule {
    return {
      module: AuthModule,
      global: true,
      imports: [
        PassportModule,
        JwtModule.register({
          secret: config.jwtSecret,
          signOptions: { algorithm: 'HS256' },
          verifyOptions: { algorithms: ['HS256'] },
        }),
      ],
      providers: [
        { provide: AUTH_CONFIG, useValue: config },
        SessionCache,
        UsersService,
        AuthService,
        WebSessions,
        ...(config.passportStrategies === false ? [] : [LocalStrategy]),
      ],
      exports: [AUTH_CONFIG, SessionCache, UsersService, AuthService, WebSessions],
    };
  }
}
