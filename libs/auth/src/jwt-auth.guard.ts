import {
  type CanActivate,
  ExecutionContext,
  ForbiddenException,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { unavailableReason } from '#libs/persistence';
import type { Actor, Role } from './actor.js';
import type { HttpReply, HttpRequest } from './http-types.js';
import { AuthService, type AccessPayload } from './auth.service.js';
import { WEB_PAGE_KEY, WebSessions } from './web-session.js';
import { PUBLIC_KEY, ROLES_KEY } from './auth.decorators.js';

// The header's scheme and token, as passport-jwt's ExtractJwt.fromAuthHeaderAsBearerToken reads them.
const AUTH_HEADER = /(\S+)\s+(\S+)/;
const INVALID_TOKEN = 'a valid access token is required';

type RouteAuth = { webPage: boolean; isPublic: boolean; allowed: Role[] | undefined };

// Global and closed by default: every route needs a valid access token AND a declared role the caller holds,
// unless it is marked @Public(). The caller is exposed as req.actor.
// The token is checked with @nestjs/jwt (AuthService.verifyAccessToken), as NestJS's own authentication guide
// does, not through passport. Passport builds its authenticate middleware and its closures anew for every request
// and added seven properties to Express's request: about 75 µs of an authenticated request's 0.4 ms of CPU
// (bench/README.md, "Seventh session"). Passport still signs users in (LocalStrategy). The checks are
// passport-jwt's: HS256 only, expiry enforced, the token read from `Authorization: Bearer`.
@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly web: WebSessions,
    private readonly auth: AuthService,
  ) {}

  // Each route's declarations, read once: decorators set them when the controller's class is defined (reading them
  // from reflect-metadata on every request was about 1 % of a create's CPU).
  private readonly routes = new WeakMap<object, WeakMap<object, RouteAuth>>();

  private routeAuth(ctx: ExecutionContext): RouteAuth {
    const handler = ctx.getHandler();
    const cls = ctx.getClass();
    let byHandler = this.routes.get(cls);
    if (!byHandler) this.routes.set(cls, (byHandler = new WeakMap()));
    let route = byHandler.get(handler);
    if (!route) {
      const targets = [handler, cls];
      route = {
        webPage: this.reflector.getAllAndOverride<boolean>(WEB_PAGE_KEY, targets) === true,
        isPublic: !!this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets),
        allowed: this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets),
      };
      byHandler.set(handler, route);
    }
    return route;
  }

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const { webPage, isPublic, allowed } = this.routeAuth(ctx);
    const req = ctx.switchToHttp().getRequest<HttpRequest>();
    if (webPage) {
      req.webPage = true;
      // A page reads only the session cookie, never a header, and an API route never reads the cookie.
      delete req.headers.authorization;
      const token = await this.web.accessToken(req, ctx.switchToHttp().getResponse<HttpReply>());
      if (token) req.headers.authorization = `Bearer ${token}`;
    }
    if (isPublic) {
      // A public page still knows who is signed in, when someone is (the sign-in page, the layout).
      if (webPage && req.headers.authorization) {
        try {
          req.actor = await this.authenticate(req);
        } catch {
          // signed out or ended: the page shows as for anyone
        }
      }
      return true;
    }
    const actor = (req.actor = await this.authenticate(req));
    if (!allowed || !allowed.some((r) => actor.roles.includes(r))) {
      throw new ForbiddenException(
        allowed ? `requires one of: ${allowed.join(', ')}` : 'route has no role declared',
      );
    }
    return true;
  }

  // The bearer token's session, as the actor: 401 for a missing, malformed, expired or revoked token; a database
  // that is down or busy while the session is checked is passed on (the filter maps it to 503), not a sign-out.
  private async authenticate(req: HttpRequest): Promise<Actor> {
    const header = req.headers.authorization;
    const parts = typeof header === 'string' ? AUTH_HEADER.exec(header) : null;
    if (!parts || parts[1].toLowerCase() !== 'bearer')
      throw new UnauthorizedException(INVALID_TOKEN);
    let payload: AccessPayload;
    try {
      payload = this.auth.verifyAccessToken(parts[2]);
    } catch {
      throw new UnauthorizedException(INVALID_TOKEN);
    }
    try {
      return await this.auth.actorFor(payload);
    } catch (err) {
      if (unavailableReason(err) || err instanceof UnauthorizedException) throw err;
      throw new UnauthorizedException(INVALID_TOKEN);
    }
  }
}

@Injectable()
export class LocalAuthGuard extends AuthGuard('local') {
  constructor() {
    super({ property: 'user' });
  }
}
