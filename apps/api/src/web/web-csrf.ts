import {
  ForbiddenException,
  Injectable,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { doubleCsrf } from 'csrf-csrf';
import type { Request, Response } from 'express';
import { randomBytes } from 'node:crypto';

export const BROWSER_COOKIE = 'cf_browser';

// CSRF protection for every form (issue 15 §2): csrf-csrf's signed double-submit token, bound to a random
// per-browser id cookie (the session's own tokens rotate on refresh, so they cannot be the binding). The
// secret is per process start unless CSRF_SECRET is set; a restart then only asks the user to resubmit a form.
const secret = process.env.CSRF_SECRET ?? randomBytes(32).toString('base64url');
const secure = process.env.NODE_ENV === 'production';

const csrf = doubleCsrf({
  getSecret: () => secret,
  getSessionIdentifier: (req: Request) =>
    String((req.cookies as Record<string, string> | undefined)?.[BROWSER_COOKIE] ?? ''),
  cookieName: secure ? '__Host-cf.csrf' : 'cf_csrf',
  cookieOptions: { sameSite: 'strict', secure, httpOnly: true, path: '/' },
  // A multipart form (the import page) cannot be read before the guard runs: its token travels in the query string.
  getCsrfTokenFromRequest: (req: Request) =>
    ((req.body as Record<string, unknown> | undefined)?._csrf as string | undefined) ??
    req.headers['x-csrf-token'] ??
    (/^multipart\/form-data/.test(req.headers['content-type'] ?? '')
      ? (req.query._csrf as string | undefined)
      : undefined),
});

// The token a form carries; also makes sure the browser has its id cookie.
export function csrfToken(req: Request, res: Response): string {
  const cookies = (req.cookies ?? {}) as Record<string, string>;
  if (!cookies[BROWSER_COOKIE]) {
    const id = randomBytes(18).toString('base64url');
    cookies[BROWSER_COOKIE] = id;
    req.cookies = cookies;
    res.cookie(BROWSER_COOKIE, id, { httpOnly: true, sameSite: 'strict', secure, path: '/' });
  }
  return csrf.generateCsrfToken(req, res, { overwrite: false, validateOnReuse: false });
}

// On every web controller: a state-changing request without a valid token is refused (403) before it runs.
@Injectable()
export class WebCsrfGuard implements CanActivate {
  canActivate(ctx: ExecutionContext): boolean {
    const req = ctx.switchToHttp().getRequest<Request>();
    if (req.method === 'GET' || req.method === 'HEAD') return true;
    if (!csrf.validateRequest(req))
      throw new ForbiddenException(
        'the form has expired or did not come from this service: reload the page and try again',
      );
    return true;
  }
}
