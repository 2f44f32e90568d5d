import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { Actor, Role } from './actor.js';

export const ROLES_KEY = 'cyberflag:roles';
export const PUBLIC_KEY = 'cyberflag:public';

// Deny by default: a route is reachable only if it names the roles allowed, or is explicitly public.
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);
export const Public = () => SetMetadata(PUBLIC_KEY, true);

export interface RequestWithActor {
  actor?: Actor;
}

export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor => {
  const actor = ctx.switchToHttp().getRequest<RequestWithActor>().actor;
  if (!actor) throw new Error('no authenticated actor on a non-public route');
  return actor;
});
