import { Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { createHash, createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { DataSource } from 'typeorm';
import type { Actor } from './actor.js';
import { AUTH_CONFIG, type AuthConfig } from './auth.config.js';
import { claimAttempt, forgetStale, succeeded, type ThrottlePolicy } from './login-throttle.js';
import { DomainError } from '#libs/persistence';
import { deriveHash, hashPassword, passwordProblem, verifyPassword } from './passwords.js';
import { SessionCache } from './session-cache.js';
import { toActor, USER_COLUMNS, UsersService, type UserRow } from './users.service.js';

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

// Access tokens kept as verified, at most (about 0.5 KB each): more than the sessions active within one token's life.
export const VERIFIED_TOKENS = 10_000;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
// USER_COLUMNS of the users table aliased u, for joins.
const U_COLUMNS = USER_COLUMNS.split(',')
  .map((c) => `u.${c.trim()}`)
  .join(', ');
// A signed, short-lived ticket for the one step a one-time password allows: choosing one's own password.
interface SetupPayload {
  sub: string; // username
  uid: string;
  typ: 'setup';
  pend: string; // the one-time password's expiry: ties the ticket to that one credential, so it works once
}
export const SETUP_TICKET_SECONDS = 15 * 60;
const INVALID = 'invalid username or password, or too many failed attempts: wait and try again';
const SETUP_ENDED =
  'this password setup has expired or was already used: sign in again with your one-time password';

// Short-lived JWT access tokens bound to a server-side session, so logout and admin changes revoke them at once;
// opaque refresh tokens rotate on use, and a reused one revokes the session (theft detection).
@Injectable()
export class AuthService {
  private readonly policy: ThrottlePolicy;
  // Made with the same parameters as real hashes, so verifying against it takes as long.
  private readonly dummyHash: Promise<string> = hashPassword(randomBytes(16).toString('base64url'));
  // A KeyObject made once: given a string, jsonwebtoken tries createPublicKey (which throws) and then
  // createSecretKey on every request, 5.6% of the app's CPU under load (bench/README.md, API).
  private readonly accessKey: KeyObject;
  // Access tokens that verified, by their whole text. A token is verified once, not on every request (its HMAC,
  // base64 and JSON: about 7 % of a create's CPU under load, bench/README.md "Tenth session"). That gives the same
  // answer: the text holds the signature, the key does not change while the process runs, and the only check that
  // depends on the time, the expiry, is made again on every use. Tokens that fail are never kept.
  private readonly verified = new LRUCache<string, Readonly<AccessPayload>>({
    max: VERIFIED_TOKENS,
  });

  constructor(
    private readonly ds: DataSource,
    private readonly users: UsersService,
    private readonly jwt: JwtService,
    private readonly sessions: SessionCache,
    @Inject(AUTH_CONFIG) private readonly config: AuthConfig,
  ) {
    this.policy = {
      sourceAllowance: config.maxFailedLogins,
      accountAllowance: config.accountFailureAllowance ?? 10 * config.maxFailedLogins,
      baseDelaySeconds: config.throttleBaseSeconds ?? 30,
      maxDelaySeconds: config.lockoutSeconds,
    };
    this.accessKey = createSecretKey(Buffer.from(config.jwtSecret, 'utf8'));
  }

  // Used by the passport local strategy. The same answer, in the same time (one argon2 verification each: against
  // the user's hash, or a dummy one for an unknown user, an inactive one or an attempt refused by the throttle),
  // for unknown users, wrong passwords and throttled attempts. Throttling: login-throttle.ts.
  async checkCredentials(username: string, password: string, source: string): Promise<UserRow> {
    const evaluate = await this.ds.transaction((em) =>
      claimAttempt(em, username, source, this.policy),
    );
    if (Math.random() < 0.01) await forgetStale(this.ds.manager, this.policy); // keeps the table small; any caller will do
    // The app cannot read hashes (migration 1780000020100): it gets the stored hash's public part, derives the
    // candidate from the typed password, and the database compares it with the secret part. The same queries and
    // one argon2 computation whatever the outcome.
    const [salt]: { phc: string | null; hash_chars: number | null }[] = await this.ds.query(
      `SELECT phc, hash_chars FROM cyberflag_login_salt($1)`,
      [username],
    );
    const derived =
      evaluate && salt?.phc && salt.hash_chars
        ? await deriveHash(salt.phc, salt.hash_chars, password)
        : null;
    if (derived === null) await verifyPassword(await this.dummyHash, password);
    const [check]: { id: string | null }[] = await this.ds.query(
      `SELECT cyberflag_login_check($1, $2) AS id`,
      [username, derived ?? '!'],
    );
    const user = check?.id ? await this.users.byIdOrNull(check.id) : undefined;
    if (!user || !user.active) throw new UnauthorizedException(INVALID);
    await this.ds.transaction((em) => succeeded(em, username, source, this.policy));
    return user;
  }

  // A one-time password is right, but it opens no session: the caller gets a ticket to choose a password with
  // (POST /auth/password, or the web page the sign-in form leads to).
  async setupTicket(user: UserRow): Promise<string> {
    const payload: SetupPayload = {
      sub: user.username,
      uid: user.id,
      typ: 'setup',
      pend: (user.one_time_expires_at ?? new Date(0)).toISOString(),
    };
    return this.jwt.signAsync(payload, { expiresIn: SETUP_TICKET_SECONDS, algorithm: 'HS256' });
  }

  // The user's own password, chosen with a setup ticket; then a session as for any sign-in.
  async choosePassword(ticket: string, password: string, route: string): Promise<TokenPair> {
    let t: SetupPayload;
    try {
      t = await this.jwt.verifyAsync<SetupPayload>(ticket);
    } catch {
      throw new UnauthorizedException(SETUP_ENDED);
    }
    if (t.typ !== 'setup' || typeof t.uid !== 'string' || typeof t.pend !== 'string')
      throw new UnauthorizedException(SETUP_ENDED);
    const problem = passwordProblem(password);
    if (problem) throw new DomainError('INVALID_INPUT', problem);
    const hash = await hashPassword(password);
    const user = await this.ds.transaction(async (em) => {
      const [r]: { ok: boolean | null }[] = await em.query(
        `SELECT cyberflag_store_password($1, $2, $3) AS ok`,
        [t.uid, hash, new Date(t.pend)],
      );
      if (r?.ok !== true) return null;
      const [row]: UserRow[] = await em.query(
        `SELECT ${USER_COLUMNS} FROM users WHERE id = $1 AND active`,
        [t.uid],
      );
      if (row) await this.users.recordPasswordChosen(em, row, route);
      return row ?? null;
    });
    if (!user) throw new UnauthorizedException(SETUP_ENDED);
    return this.login(user);
  }

  async login(user: UserRow): Promise<TokenPair> {
    if (user.must_set_password)
      throw new DomainError(
        'PASSWORD_CHANGE_REQUIRED',
        'this is a one-time password: choose your own password with POST /auth/password and the setupToken',
        { setupToken: await this.setupTicket(user), expiresIn: SETUP_TICKET_SECONDS },
      );
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
    // One call: the refresh hash stays in the database (migration 1780000020100); a reused token revokes the
    // session, and that revocation commits before the error is thrown.
    const next = randomBytes(32).toString('base64url');
    const [r]: { outcome: 'rotated' | 'reused' | 'invalid'; username: string | null }[] =
      await this.ds.query(`SELECT outcome, username FROM cyberflag_rotate_refresh($1, $2, $3)`, [
        sid,
        sha256(secret),
        sha256(next),
      ]);
    const result =
      r?.outcome === 'rotated' && r.username
        ? { username: r.username, next }
        : (r?.outcome ?? 'invalid');
    if (result === 'invalid' || result === 'rotated')
      throw new UnauthorizedException('invalid refresh token');
    if (result === 'reused') {
      this.sessions.evictSession(sid); // revoked and committed by the function
      throw new UnauthorizedException('refresh token reused: session revoked');
    }
    return this.tokens(result.username, sid, result.next);
  }

  async logout(sessionId: string): Promise<void> {
    await this.ds.query(
      `UPDATE auth_sessions SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL`,
      [sessionId],
    );
    // After the commit: this process's next request must not find it (others hear the trigger's NOTIFY).
    this.sessions.evictSession(sessionId);
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

  // An access token's claims once its signature (HS256 only: 'none' and every other algorithm are refused) and its
  // expiry hold; throws otherwise. Called for every request by JwtAuthGuard, before actorFor.
  verifyAccessToken(token: string): AccessPayload {
    const known = this.verified.get(token);
    // As jsonwebtoken checks expiry: expired from the second `exp` names (no clock tolerance).
    if (known && Math.floor(Date.now() / 1000) < known.exp!) return known;
    if (known) this.verified.delete(token); // expired: jsonwebtoken below says so
    const payload = this.jwt.verify<AccessPayload>(token, {
      secret: this.accessKey as unknown as Buffer, // typed string | Buffer; jsonwebtoken takes a KeyObject
      algorithms: ['HS256'],
    });
    // Only a token whose validity ends at a known time, and starts at none (no `nbf`), can be kept.
    if (typeof payload.exp === 'number' && !('nbf' in payload))
      this.verified.set(token, Object.freeze(payload));
    return payload;
  }

  // Called for every request by JwtAuthGuard, after verifyAccessToken. A session checked within the last
  // sessionCacheMs is not read again, unless a change to it or its user was heard since (session-cache.ts).
  async actorFor(
    payload: AccessPayload,
  ): Promise<Actor & { sessionId: string; accessExpiresAt: Date | null }> {
    if (payload.typ !== 'access' || typeof payload.sid !== 'string')
      throw new UnauthorizedException();
    const actor =
      this.sessions.get(payload.sid, payload.sub)?.actor ??
      (await this.checkSession(payload.sid, payload.sub));
    // Each field named, not `{ ...actor, … }`: on Node 20 a spread followed by more properties costs about 2 µs
    // here, on every request (V8 gives the copy a new shape each time); this literal about 0.1 µs.
    return {
      userId: actor.userId,
      displayName: actor.displayName,
      // Copies: a cached actor is shared by every request of the session.
      roles: [...actor.roles],
      forces: actor.forces === 'all' ? 'all' : [...actor.forces],
      sessionId: payload.sid,
      accessExpiresAt: payload.exp ? new Date(payload.exp * 1000) : null,
    };
  }

  private async checkSession(sid: string, username: string): Promise<Actor> {
    const token = this.sessions.fillToken(); // before the read: a change heard meanwhile stops the store
    const rows: (UserRow & { session_expires_at: Date })[] = await this.ds.query(
      `SELECT ${U_COLUMNS}, s.expires_at AS session_expires_at FROM auth_sessions s JOIN users u ON u.id = s.user_id
       WHERE s.id = $1 AND u.username = $2 AND s.revoked_at IS NULL AND s.expires_at > now() AND u.active`,
      [sid, username],
    );
    if (!rows[0]) throw new UnauthorizedException('session ended');
    const actor = toActor(rows[0]);
    this.sessions.put(token, sid, {
      actor,
      userId: rows[0].id,
      username,
      sessionExpiresAt: rows[0].session_expires_at,
    });
    return actor;
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
