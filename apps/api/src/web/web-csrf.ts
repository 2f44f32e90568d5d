import {
  ForbiddenException,
  Injectable,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { doubleCsrf } from 'csrf-csrf';
import type { HttpReply, HttpRequest } from '#libs/auth';
import { randomBytes } from 'node:crypto';

export const BROWSER_COOKIE = 'cf_browser';

// CSRF protection for every form (issue 15 §2): csrf-csrf's signed double-submit token, bound to a random
// per-browser id cookie (the session's own tokens rotate on refresh, so they cannot be the binding). The
// secret is per process start unless CSRF_SECRET is set; a restart then only asks the user to resubmit a form.
const secret = process.env.CSRF_SECRET ?? randomBytes(32).toString('base64url');
const secure = process.env.NODE_ENV === 'production';

// csrf-csrf's types are Express's: it reads req.cookies and req.headers, which Fastify's request has too.
const csrf = doubleCsrf({
  getSecret: () => secret,
  getSessionIdentifier: (req) =>
    String((req as unknown as HttpRequest).cookies?.[BROWSER_COOKIE] ?? ''),
  cookieName: secure ? '__Host-cf.csrf' : 'cf_csrf',
  cookieOptions: { sameSite: 'strict', secure, httpOnly: true, path: '/' },
  // A multipart form (the import page) cannot be read before the guard runs: its token travels in the query string.
  getCsrfTokenFromRequest: (typedAsExpress) => {
    const req = typedAsExpress as unknown as HttpRequest;
    return (((req.body as Record<string, unknown> | undefined)?._csrf as string | undefined) ??
      req.headers['x-csrf-token'] ??
      (/^multipart\/form-data/.test(req.headers['content-type'] ?? '')
        ? ((req.query as Record<string, unknown>)._csrf as string | undefined)
        : undefined)) as string | undefined;
  },
});

// The token a form carries; also makes sure the browser has its id cookie.
export function csrfToken(req: HttpRequest, res: HttpReply): string {
  const cookies: Record<string, string | undefined> = req.cookies ?? {};
  if (!cookies[BROWSER_COOKIE]) {
    const id = randomBytes(18).toString('base64url');
    cookies[BROWSER_COOKIE] = id;
    req.cookies = cookies;
    res.cookie(BROWSER_COOKIE, id, { httpOnly: true, sameSite: 'strict', secure, path: '/' });
  }
  // csrf-csrf's types are Express's; it reads req.cookies and calls res.cookie, which @fastify/cookie provides.
  return csrf.generateCsrfToken(req as never, res as never, {
    overwrite: false,
    validateOnReuse: false,
  });
}

// On every web controller: a state-changing request without a valid token is refused (403) before it runs.
@Injectable()
export class WebCsrfGuard implements CanActivate {
  canActivate(ctx: ExecutionContext): boolean {
    const req = ctx.switchToHttp().getRequest<HttpRequest>();
    if (req.method === 'GET' || req.method === 'HEAD') return true;
    if (!csrf.validateRequest(req as never))
      throw new ForbiddenException(
        'the form has expired or did not come from this service: reload the page and try again',
      );
    return true;
  }
}
