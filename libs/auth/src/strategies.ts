import { createSecretKey } from 'node:crypto';
import { BadRequestException, Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy as JwtStrategyBase } from 'passport-jwt';
import { Strategy as LocalStrategyBase } from 'passport-local';
import { AUTH_CONFIG, type AuthConfig } from './auth.config.js';
import { AuthService, type AccessPayload } from './auth.service.js';
import type { UserRow } from './users.service.js';

@Injectable()
export class LocalStrategy extends PassportStrategy(LocalStrategyBase, 'local') {
  constructor(private readonly auth: AuthService) {
    super({ usernameField: 'username', passwordField: 'password', passReqToCallback: true });
  }

  // passport-local hands over whatever the body holds (no DTO runs before a guard): its shape is checked here, so
  // an object, an over-long value or a NUL (which PostgreSQL refuses, issue #18) is a 400 and never reaches a query.
  // The source address keys the per-source login throttle (the socket's address: no proxy is trusted).
  validate(req: { ip?: string }, username: unknown, password: unknown): Promise<UserRow> {
    if (!isField(username, 64) || !isField(password, 256)) {
      throw new BadRequestException(
        'username and password must be strings of at most 64 and 256 characters, without NUL characters',
      );
    }
    return this.auth.checkCredentials(username, password, req.ip ?? 'unknown');
  }
}

const isField = (value: unknown, maxLength: number): value is string =>
  typeof value === 'string' && value.length <= maxLength && !value.includes('\0');

// HS256 only: tokens signed with another algorithm (including 'none') are refused by passport-jwt.
@Injectable()
export class JwtStrategy extends PassportStrategy(JwtStrategyBase, 'jwt') {
  constructor(
    private readonly auth: AuthService,
    @Inject(AUTH_CONFIG) config: AuthConfig,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      // A KeyObject made once: given a string, jsonwebtoken tries createPublicKey (which throws) and then
      // createSecretKey on every request, 5.6% of the app's CPU under load (bench/README.md, API).
      secretOrKey: createSecretKey(Buffer.from(config.jwtSecret, 'utf8')) as unknown as Buffer, // typed string | Buffer; jsonwebtoken takes a KeyObject
      algorithms: ['HS256'],
      ignoreExpiration: false,
    });
  }

  validate(payload: AccessPayload) {
    return this.auth.actorFor(payload);
  }
}
