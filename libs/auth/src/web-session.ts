import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { AUTH_CONFIG, type AuthConfig } from './auth.config.js';
import { AuthService, type AccessPayload, type TokenPair } from './auth.service.js';
import type { HttpReply, HttpRequest } from './http-types.js';

export const WEB_PAGE_KEY = 'cyberflag:web-page';
export const ACCESS_COOKIE = 'cf_access';
export const REFRESH_COOKIE = 'cf_refresh';
export const SEEN_COOKIE = 'cf_seen';

// Browser sessions are the API's sessions (issue 15 §2): the access and refresh tokens of one auth_sessions row,
// kept in httpOnly, SameSite=Strict cookies instead of an Authorization header. Signing out, deactivation and role
// changes end them at once, exactly as for API callers. A session idle longer than idleSeconds is ended (server side
// too): every page request renews a signed last-seen cookie, so idleness is measured without a database write.
@Injectable()
export class WebSessions {
  constructor(
    private readonly auth: AuthService,
    private readonly jwt: JwtService,
    @Inject(AUTH_CONFIG) private readonly config: AuthConfig,
  ) {}

  get idleSeconds(): number {
    return this.config.webIdleSeconds ?? 1800;
  }

  private get cookieBase() {
    return {
      httpOnly: true,
      sameSite: 'strict' as const,
      secure: this.config.secureCookies ?? false,
      path: '/',
    };
  }

  setCookies(res: HttpReply, tokens: TokenPair): void {
    // The access cookie outlives its token by the idle allowance, so an expired token can still be refreshed.
    res.cookie(ACCESS_COOKIE, tokens.accessToken, {
      ...this.cookieBase,
      maxAge: tokens.expiresIn + this.idleSeconds, // seconds (@fastify/cookie)
    });
    res.cookie(REFRESH_COOKIE, tokens.refreshToken, {
      ...this.cookieBase,
      maxAge: this.config.refreshTtlSeconds,
    });
    this.seen(res, tokens.refreshToken.split('.')[0]);
  }

  clearCookies(res: HttpReply): void {
    for (const name of [ACCESS_COOKIE, REFRESH_COOKIE, SEEN_COOKIE])
      res.clearCookie(name, this.cookieBase);
  }

  private seen(res: HttpReply, sid: string): void {
    const token = this.jwt.sign({ sid, typ: 'seen' }, { expiresIn: this.idleSeconds });
    res.cookie(SEEN_COOKIE, token, { ...this.cookieBase, maxAge: this.idleSeconds });
  }

  // The access token a web request should be judged by: the cookie's, refreshed (rotating the refresh token)
  // when it has expired within the idle allowance. Null when there is no usable session.
  async accessToken(req: HttpRequest, res: HttpReply): Promise<string | null> {
    const cookies: Record<string, string | undefined> = req.cookies ?? {};
    res.locals.idleSeconds = this.idleSeconds; // the page script warns before it runs out
    const access = cookies[ACCESS_COOKIE];
    if (!access) return null;
    let payload: AccessPayload;
    try {
      payload = await this.jwt.verifyAsync<AccessPayload>(access, { ignoreExpiration: true });
    } catch {
      return null; // not ours
    }
    let seen: { sid?: string; typ?: string } | null;
    try {
      seen = await this.jwt.verifyAsync<{ sid: string; typ: string }>(cookies[SEEN_COOKIE] ?? '');
    } catch {
      seen = null;
    }
    if (!seen || seen.typ !== 'seen' || seen.sid !== payload.sid) {
      // Idle too long (or the last-seen proof is missing): end the server-side session, so no cookie revives it.
      if (payload.sid) await this.auth.logout(payload.sid);
      return null;
    }
    this.seen(res, payload.sid);
    if ((payload.exp ?? 0) > Date.now() / 1000 + 5) return access;
    const refresh = cookies[REFRESH_COOKIE];
    if (!refresh) return null;
    try {
      const tokens = await this.auth.refresh(refresh);
      this.setCookies(res, tokens);
      return tokens.accessToken;
    } catch {
      return null;
    }
  }
}
