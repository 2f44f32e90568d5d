import { Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { Actor } from './actor.js';
import { AUTH_CONFIG, type AuthConfig } from './auth.config.js';
import { claimAttempt, forgetStale, succeeded, type ThrottlePolicy } from './login-throttle.js';
import { hashPassword, verifyPassword } from './passwords.js';
import { toActor, UsersService, type UserRow } from './users.service.js';

export interface TokenPair {
  tokenType: 'Bearer';
  accessToken: string;
  expiresIn: number;
  refreshToken: string;
}
export interface AccessPayload {
  sub: string;
  sid: string;
  typ: 'access';
  exp?: number; // set by the signer (seconds since the epoch)
}

// GET /auth/me: who the caller is and how long their session lasts.
export interface MeView {
  username: string;
  displayName: string;
  roles: string[];
  forces: string[] | 'all';
  session: { id: string; accessTokenExpiresAt: Date | null; refreshExpiresAt: Date };
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const INVALID = 'invalid username or password, or too many failed attempts: wait and try again';

// Short-lived JWT access tokens bound to a server-side session, so logout and admin changes revoke them at once;
// opaque refresh tokens rotate on use, and a reused one revokes the session (theft detection).
@Injectable()
export class AuthService {
  private readonly policy: ThrottlePolicy;
  // Made with the same parameters as real hashes, so verifying against it takes as long.
  private readonly dummyHash: Promise<string> = hashPassword(randomBytes(16).toString('base64url'));

  constructor(
    private readonly ds: DataSource,
    private readonly users: UsersService,
    private readonly jwt: JwtService,
    @Inject(AUTH_CONFIG) private readonly config: AuthConfig,
  ) {
    this.policy = {
      sourceAllowance: config.maxFailedLogins,
      accountAllowance: config.accountFailureAllowance ?? 10 * config.maxFailedLogins,
      baseDelaySeconds: config.throttleBaseSeconds ?? 30,
      maxDelaySeconds: config.lockoutSeconds,
    };
  }

  // Used by the passport local strategy. The same answer, in the same time (one argon2 verification each: against
  // the user's hash, or a dummy one for an unknown user, an inactive one or an attempt refused by the throttle),
  // for unknown users, wrong passwords and throttled attempts. Throttling: login-throttle.ts.
  async checkCredentials(username: string, password: string, source: string): Promise<UserRow> {
    const evaluate = await this.ds.transaction((em) =>
      claimAttempt(em, username, source, this.policy),
    );
    if (Math.random() < 0.01) await forgetStale(this.ds.manager, this.policy); // keeps the table small; any caller will do
    const user = await this.users.byUsername(username);
    const usable = evaluate && user !== undefined && user.active;
    const ok = await verifyPassword(usable ? user.password_hash : await this.dummyHash, password);
    if (!usable || !ok) throw new UnauthorizedException(INVALID);
    await this.ds.transaction((em) => succeeded(em, username, source, this.policy));
    return user;
  }

  async login(user: UserRow): Promise<TokenPair> {
    const secret = randomBytes(32).toString('base64url');
    const [session]: { id: string }[] = await this.ds.query(
      `INSERT INTO auth_sessions (user_id, refresh_hash, expires_at) VALUES ($1, $2, now() + make_interval(secs => $3)) RETURNING id`,
      [user.id, sha256(secret), this.config.refreshTtlSeconds],
    );
    return this.tokens(user.username, session.id, secret);
  }

  async refresh(refreshToken: string): Promise<TokenPair> {
    const [sid, secret] = refreshToken.split('.');
    if (!sid || !secret || !/^[0-9a-f-]{36}$/.test(sid))
      throw new UnauthorizedException('invalid refresh token');
    // The revocation on reuse must commit, so the transaction returns a verdict and the error is thrown after it.
    const result = await this.ds.transaction(async (em) => {
      const rows: { refresh_hash: string; username: string; valid: boolean }[] = await em.query(
        `SELECT s.refresh_hash, u.username, (s.revoked_at IS NULL AND s.expires_at > now() AND u.active) AS valid
         FROM auth_sessions s JOIN users u ON u.id = s.user_id WHERE s.id = $1 FOR UPDATE OF s`,
        [sid],
      );
      const s = rows[0];
      if (!s || !s.valid) return 'invalid' as const;
      if (!timingSafeEqual(Buffer.from(sha256(secret)), Buffer.from(s.refresh_hash))) {
        await em.query(`UPDATE auth_sessions SET revoked_at = now() WHERE id = $1`, [sid]);
        return 'reused' as const;
      }
      const next = randomBytes(32).toString('base64url');
      await em.query(`UPDATE auth_sessions SET refresh_hash = $2 WHERE id = $1`, [
        sid,
        sha256(next),
      ]);
      return { username: s.username, next };
    });
    if (result === 'invalid') throw new UnauthorizedException('invalid refresh token');
    if (result === 'reused')
      throw new UnauthorizedException('refresh token reused: session revoked');
    return this.tokens(result.username, sid, result.next);
  }

  async logout(sessionId: string): Promise<void> {
    await this.ds.query(
      `UPDATE auth_sessions SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL`,
      [sessionId],
    );
  }

  async me(actor: Actor & { sessionId: string; accessExpiresAt: Date | null }): Promise<MeView> {
    const rows: { username: string; expires_at: Date }[] = await this.ds.query(
      `SELECT u.username, s.expires_at FROM auth_sessions s JOIN users u ON u.id = s.user_id WHERE s.id = $1`,
      [actor.sessionId],
    );
    if (!rows[0]) throw new UnauthorizedException('session ended');
    return {
      username: rows[0].username,
      displayName: actor.displayName,
      roles: actor.roles,
      forces: actor.forces,
      session: {
        id: actor.sessionId,
        accessTokenExpiresAt: actor.accessExpiresAt,
        refreshExpiresAt: rows[0].expires_at,
      },
    };
  }

  // Called for every request by the JWT strategy, after the signature and expiry checks.
  async actorFor(
    payload: AccessPayload,
  ): Promise<Actor & { sessionId: string; accessExpiresAt: Date | null }> {
    if (payload.typ !== 'access' || typeof payload.sid !== 'string')
      throw new UnauthorizedException();
    const rows: UserRow[] = await this.ds.query(
      `SELECT u.* FROM auth_sessions s JOIN users u ON u.id = s.user_id
       WHERE s.id = $1 AND u.username = $2 AND s.revoked_at IS NULL AND s.expires_at > now() AND u.active`,
      [payload.sid, payload.sub],
    );
    if (!rows[0]) throw new UnauthorizedException('session ended');
    return {
      ...toActor(rows[0]),
      sessionId: payload.sid,
      accessExpiresAt: payload.exp ? new Date(payload.exp * 1000) : null,
    };
  }

  private async tokens(username: string, sid: string, secret: string): Promise<TokenPair> {
    const payload: AccessPayload = { sub: username, sid, typ: 'access' };
    const accessToken = await this.jwt.signAsync(payload, {
      expiresIn: this.config.accessTtlSeconds,
      algorithm: 'HS256',
    });
    return {
      tokenType: 'Bearer',
      accessToken,
      expiresIn: this.config.accessTtlSeconds,
      refreshToken: `${sid}.${secret}`,
    };
  }
}
