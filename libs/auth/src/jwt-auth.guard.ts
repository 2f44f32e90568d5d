import { ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import type { Actor, Role } from './actor.js';
import { PUBLIC_KEY, ROLES_KEY } from './auth.decorators.js';

// Global and closed by default: every route needs a valid access token AND a declared role the caller holds,
// unless it is marked @Public(). The passport user is exposed as req.actor.
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  constructor(private readonly reflector: Reflector) {
    super({ property: 'actor' });
  }

  override async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    await super.canActivate(ctx);
    const actor = ctx.switchToHttp().getRequest<{ actor?: Actor }>().actor;
    const allowed = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (!actor) throw new UnauthorizedException();
    if (!allowed || !allowed.some((r) => actor.roles.includes(r))) {
      throw new ForbiddenException(allowed ? `requires one of: ${allowed.join(', ')}` : 'route has no role declared');
    }
    return true;
  }

  override handleRequest<T>(err: unknown, user: T): T {
    if (err || !user) throw err instanceof UnauthorizedException ? err : new UnauthorizedException('a valid access token is required');
    return user;
  }
}

@Injectable()
export class LocalAuthGuard extends AuthGuard('local') {
  constructor() {
    super({ property: 'user' });
  }
}
