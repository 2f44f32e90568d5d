import { ForbiddenException, Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { ROLES, type Actor, type Role } from './actor.js';
import { PUBLIC_KEY, ROLES_KEY, type RequestWithActor } from './auth.decorators.js';

// DEVELOPMENT IDENTITY, until real login lands (issue "Identity, roles, force scoping"): the caller is named by
// headers, or is the fixed dev user. This file is the only place that knows; replace it, keep the decorators.
const DEV_DEFAULT: Actor = {
  userId: 'dev.registrar',
  displayName: 'Development registrar',
  roles: ['registrar', 'force_crime_registrar'],
  forces: ['derbyshire'],
};
const NATIONAL_ROLES: Role[] = ['statistician', 'admin'];

function devActor(req: Request): Actor {
  const user = req.header('x-dev-user');
  if (!user) return DEV_DEFAULT;
  const roles = (req.header('x-dev-roles') ?? '').split(',').map((r) => r.trim()).filter(Boolean);
  if (roles.some((r) => !(ROLES as readonly string[]).includes(r))) throw new UnauthorizedException('unknown role in x-dev-roles');
  const force = req.header('x-dev-force');
  const national = force === 'all' || (!force && roles.some((r) => NATIONAL_ROLES.includes(r as Role)));
  return { userId: user, displayName: user, roles: roles as Role[], forces: national ? 'all' : force ? force.split(',') : [] };
}

@Injectable()
export class DevIdentityGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(ctx: ExecutionContext): boolean {
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const req = ctx.switchToHttp().getRequest<Request & RequestWithActor>();
    const actor = devActor(req);
    req.actor = actor;
    const allowed = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (!allowed || !allowed.some((r) => actor.roles.includes(r))) {
      throw new ForbiddenException(allowed ? `requires one of: ${allowed.join(', ')}` : 'route has no role declared');
    }
    return true;
  }
}
