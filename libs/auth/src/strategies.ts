import { BadRequestException, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy as LocalStrategyBase } from 'passport-local';
import { AuthService } from './auth.service.js';
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
