import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { Actor } from './actor.js';

// Who is asking, and why: what services need to scope a query and to log the access (DPA 2018 s.62).
export interface RequestContext {
  actor: Actor;
  requestId: string | null;
  route: string; // 'GET /crimes/:id'
  purpose: string | null; // X-Access-Purpose header, e.g. 'audit', 'investigation'
}

export const Ctx = createParamDecorator((_: unknown, ctx: ExecutionContext): RequestContext => {
  const req = ctx.switchToHttp().getRequest<Request & { actor?: Actor }>();
  if (!req.actor) throw new Error('no authenticated actor on a non-public route');
  const route = (req.route as { path?: string } | undefined)?.path ?? req.path;
  const purpose = req.header('x-access-purpose');
  return {
    actor: req.actor,
    requestId: req.header('x-request-id') ?? null,
    route: `${req.method} ${route}`,
    purpose: purpose ? purpose.slice(0, 200) : null,
  };
});

// For work started outside HTTP (CLI, jobs).
export function systemContext(
  actor: Actor,
  route: string,
  purpose: string | null = null,
): RequestContext {
  return { actor, requestId: null, route, purpose };
}
