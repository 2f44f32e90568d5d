import {
  ExecutionContext,
  ForbiddenException,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import type { Request, Response } from 'express';
import { unavailableReason } from '#libs/persistence';
import type { Actor, Role } from './actor.js';
import { WEB_PAGE_KEY, WebSessions } from './web-session.js';
import { PUBLIC_KEY, ROLES_KEY } from './auth.decorators.js';

// Global and closed by default: every route needs a valid access token AND a declared role the caller holds,
// unless it is marked @Public(). The passport user is exposed as req.actor.
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  constructor(
    private readonly reflector: Reflector,
    private readonly web: WebSessions,
  ) {
    super({ property: 'actor' });
  }

  override async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const targets = [ctx.getHandler(), ctx.getClass()];
    const webPage = this.reflector.getAllAndOverride<boolean>(WEB_PAGE_KEY, targets) === true;
    if (webPage) {
      const req = ctx.switchToHttp().getRequest<Request & { webPage?: boolean }>();
      req.webPage = true;
      // A page reads only the session cookie, never a header, and an API route never reads the cookie.
      delete req.headers.authorization;
      const token = await this.web.accessToken(req, ctx.switchToHttp().getResponse<Response>());
      if (token) req.headers.authorization = `Bearer ${token}`;
    }
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) {
      // A public page still knows who is signed in, when someone is (the sign-in page, the layout).
      if (webPage && ctx.switchToHttp().getRequest<Request>().headers.authorization) {
        try {
          await super.canActivate(ctx);
        } catch {
          // signed out or ended: the page shows as for anyone
        }
      }
      return true;
    }
    await super.canActivate(ctx);
    const actor = ctx.switchToHttp().getRequest<{ actor?: Actor }>().actor;
    const allowed = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (!actor) throw new UnauthorizedException();
    if (!allowed || !allowed.some((r) => actor.roles.includes(r))) {
      throw new ForbiddenException(
        allowed ? `requires one of: ${allowed.join(', ')}` : 'route has no role declared',
      );
    }
    return true;
  }

  override handleRequest<T>(err: unknown, user: T): T {
    // The session could not be checked because the database is down or busy: a 503 (try again), not a sign-out.
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- passport's error, passed on as it came (the filter maps it to 503)
    if (err && unavailableReason(err)) throw err;
    if (err || !user)
      throw err instanceof UnauthorizedException
        ? err
        : new UnauthorizedException('a valid access token is required');
    return user;
  }
}

@Injectable()
export class LocalAuthGuard extends AuthGuard('local') {
  constructor() {
    super({ property: 'user' });
  }
}
