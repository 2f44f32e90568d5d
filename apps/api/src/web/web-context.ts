import type { RequestContext } from '#libs/auth';
import type { PageRequest } from './web-page.js';

// The same RequestContext as the API's @Ctx(): the access log records browser reads and writes exactly as API ones.
// Pages that show record-level data let the user state a purpose (a select), sent as the `purpose` field.
export function webContext(req: PageRequest): RequestContext {
  if (!req.actor) throw new Error('no signed-in actor on a web page that needs one');
  const route = (req.route as { path?: string } | undefined)?.path ?? req.path;
  const purpose = (req.query.purpose ??
    (req.body as Record<string, unknown> | undefined)?.purpose) as unknown;
  return {
    actor: req.actor,
    requestId: req.header('x-request-id') ?? null,
    route: `${req.method} ${route}`,
    purpose: typeof purpose === 'string' && purpose.trim() ? purpose.trim().slice(0, 200) : null,
  };
}
