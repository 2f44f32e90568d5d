import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Actor } from './actor.js';
import { pathOf, type HttpRequest } from './http-types.js';

// Who is asking, and why: what services need to scope a query and to log the access (DPA 2018 s.62).
export interface RequestContext {
  actor: Actor;
  requestId: string | null;
  route: string; // 'GET /crimes/:id'
  purpose: string | null; // X-Access-Purpose header, e.g. 'audit', 'investigation'
}

export const Ctx = createParamDecorator((_: unknown, ctx: ExecutionContext): RequestContext => {
  const req = ctx.switchToHttp().getRequest<HttpRequest>();
  if (!req.actor) throw new Error('no authenticated actor on a non-public route');
  const route = req.routeOptions.url ?? pathOf(req);
  const purpose = header(req, 'x-access-purpose');
  return {
    actor: req.actor,
    requestId: header(req, 'x-request-id'),
    route: `${req.method} ${route}`,
    purpose: purpose ? purpose.slice(0, 200) : null,
  };
});

const header = (req: HttpRequest, name: string): string | null => {
  const v = req.headers[name];
  return typeof v === 'string' ? v : null;
};

// For work started outside HTTP (CLI, jobs).
export function systemContext(
  actor: Actor,
  route: string,
  purpose: string | null = null,
): RequestContext {
  return { actor, requestId: null, route, purpose };
}
