import { pathOf, type RequestContext } from '#libs/auth';
import type { PageRequest } from './web-page.js';

// The same RequestContext as the API's @Ctx(): the access log records browser reads and writes exactly as API ones.
// Pages that show record-level data let the user state a purpose (a select), sent as the `purpose` field.
export function webContext(req: PageRequest): RequestContext {
  if (!req.actor) throw new Error('no signed-in actor on a web page that needs one');
  const route = req.routeOptions.url ?? pathOf(req);
  const purpose = ((req.query as Record<string, unknown>).purpose ??
    (req.body as Record<string, unknown> | undefined)?.purpose) as unknown;
  return {
    actor: req.actor,
    requestId: typeof req.headers['x-request-id'] === 'string' ? req.headers['x-request-id'] : null,
    route: `${req.method} ${route}`,
    purpose: typeof purpose === 'string' && purpose.trim() ? purpose.trim().slice(0, 200) : null,
  };
}
