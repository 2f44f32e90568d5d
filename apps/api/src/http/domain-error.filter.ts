import {
  ArgumentsHost,
  Catch,
  HttpException,
  HttpStatus,
  Logger,
  type ExceptionFilter,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { pathOf } from '#libs/auth';
import { sendView } from '../web/web-page.js';
import { QueryFailedError } from 'typeorm';
import { DomainError, unavailableReason, type DomainErrorCode } from '#libs/persistence';

interface ErrorBody {
  statusCode: number;
  code: string;
  message: string;
  details?: unknown;
  requestId: string;
}

// The one mapping of domain error codes to HTTP statuses, for the API (this filter) and the web pages alike.
export function statusOf(code: DomainErrorCode): number {
  switch (code) {
    case 'NOT_FOUND':
      return HttpStatus.NOT_FOUND;
    case 'RULE_VIOLATION':
      return HttpStatus.UNPROCESSABLE_ENTITY;
    case 'DUPLICATE_REFERENCE':
    case 'VERSION_CONFLICT':
    case 'INVALID_TRANSITION':
      return HttpStatus.CONFLICT;
    case 'FORBIDDEN_SCOPE':
    case 'PASSWORD_CHANGE_REQUIRED':
      return HttpStatus.FORBIDDEN;
    case 'ROLE_CONFLICT':
      return HttpStatus.UNPROCESSABLE_ENTITY;
    case 'INVALID_INPUT':
      return HttpStatus.BAD_REQUEST;
    case 'UNAVAILABLE':
      return HttpStatus.SERVICE_UNAVAILABLE;
  }
}

// Seconds a client should wait before trying a 503 again: about what a PostgreSQL restart takes.
export const RETRY_AFTER_SECONDS = 5;

// PostgreSQL errors that mean "bad input the earlier layers missed", never a 500.
const PG_ERRORS: Record<string, [number, string]> = {
  '23505': [HttpStatus.CONFLICT, 'CONFLICT'],
  '23503': [HttpStatus.UNPROCESSABLE_ENTITY, 'REFERENCE_NOT_FOUND'],
  '23514': [HttpStatus.UNPROCESSABLE_ENTITY, 'CONSTRAINT_VIOLATION'],
  '23502': [HttpStatus.BAD_REQUEST, 'MISSING_VALUE'],
  '22P02': [HttpStatus.BAD_REQUEST, 'INVALID_VALUE'],
  '22007': [HttpStatus.BAD_REQUEST, 'INVALID_VALUE'],
  '22008': [HttpStatus.BAD_REQUEST, 'INVALID_VALUE'],
  '22003': [HttpStatus.BAD_REQUEST, 'INVALID_VALUE'],
};

function healthResult(r: unknown): object | undefined {
  return typeof r === 'object' &&
    r !== null &&
    (r as { status?: unknown }).status === 'error' &&
    'details' in r
    ? r
    : undefined;
}

// A browser page: marked by the guard, or (for a route that does not exist) a browser asking for HTML.
function isPage(req: FastifyRequest): boolean {
  if (req.webPage) return true;
  return (
    req.routeOptions.url === undefined &&
    req.method === 'GET' &&
    (req.headers.accept ?? '').includes('text/html')
  );
}

// The one place where errors become HTTP responses (style.md §16). Errors are logged once, here.
@Catch()
export class DomainErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(err: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const req = http.getRequest<FastifyRequest>();
    const res = http.getResponse<FastifyReply>();
    const requestId = String(req.headers['x-request-id'] ?? '');
    // /health's 503 keeps Terminus's body (which indicator is down), as its OpenAPI entry says.
    const health = err instanceof HttpException ? healthResult(err.getResponse()) : undefined;
    if (health) {
      void res
        .header('retry-after', String(RETRY_AFTER_SECONDS))
        .status(HttpStatus.SERVICE_UNAVAILABLE)
        .send(health);
      return;
    }
    const body = this.toBody(err, requestId);
    if (body.statusCode === 503) {
      res.header('retry-after', String(RETRY_AFTER_SECONDS));
      // Expected while the database restarts or the app stops: one line, no stack per request.
      this.logger.warn(`${req.method} ${pathOf(req)} answered 503 [${requestId}]: ${body.message}`);
    } else if (body.statusCode >= 500) {
      this.logger.error(
        `${req.method} ${pathOf(req)} failed [${requestId}]`,
        err instanceof Error ? err.stack : String(err),
      );
    }
    if (isPage(req)) return this.page(req, res, body);
    void res.status(body.statusCode).send(body);
  }

  // Browser pages get pages: a sign-in redirect when the session is missing or ended, otherwise an error page
  // with the same code and message the API would give.
  private page(req: FastifyRequest, res: FastifyReply, body: ErrorBody): void {
    if (body.statusCode === 401) {
      const next = req.method === 'GET' ? `&next=${encodeURIComponent(req.originalUrl)}` : '';
      void res.redirect(`/sign-in?ended=required${next}`, 303);
      return;
    }
    const heading =
      { 403: 'You cannot do that', 404: 'Page not found', 409: 'Someone else changed this first' }[
        body.statusCode
      ] ??
      (body.statusCode >= 500
        ? 'Sorry, there is a problem with the service'
        : 'There is a problem');
    const actor = req.actor;
    res.status(body.statusCode);
    sendView(res, 'error', {
      title: heading,
      heading,
      message: body.statusCode >= 500 ? 'Try again later.' : body.message,
      code: body.code,
      requestId: body.requestId,
      user: undefined,
      signedIn: actor !== undefined,
      cspNonce: res.locals?.cspNonce,
    });
  }

  private toBody(err: unknown, requestId: string): ErrorBody {
    if (err instanceof DomainError) {
      return {
        statusCode: statusOf(err.code),
        code: err.code,
        message: err.message,
        details: err.details,
        requestId,
      };
    }
    if (err instanceof HttpException) {
      const r = err.getResponse();
      const message =
        typeof r === 'string' ? r : ((r as { message?: unknown }).message ?? err.message);
      const hints = typeof r === 'object' ? (r as { hints?: string[] }).hints : undefined;
      const statusCode = err.getStatus();
      return {
        statusCode,
        code: HttpStatus[statusCode] ?? 'HTTP_ERROR',
        message: Array.isArray(message) ? message.join('; ') : String(message),
        details: Array.isArray(message) ? { errors: message, ...(hints && { hints }) } : undefined,
        requestId,
      };
    }
    const unavailable = unavailableReason(err);
    if (unavailable)
      return {
        statusCode: HttpStatus.SERVICE_UNAVAILABLE,
        code: 'UNAVAILABLE',
        message:
          unavailable === 'busy'
            ? 'the service is busy (no database connection became free in time): try again shortly'
            : 'the database is unavailable: try again shortly',
        requestId,
      };
    if (err instanceof QueryFailedError) {
      const pg = err.driverError as { code?: string };
      const mapped = pg.code ? PG_ERRORS[pg.code] : undefined;
      // The constraint is not named: its name describes the schema, not the request (issue #18 finding 11).
      if (mapped)
        return {
          statusCode: mapped[0],
          code: mapped[1],
          message: 'the database refused the change',
          requestId,
        };
    }
    // Fastify's own errors (a body too large, malformed JSON) carry their own 4xx status.
    const status =
      (err as { statusCode?: unknown })?.statusCode ?? (err as { status?: unknown })?.status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return {
        statusCode: status,
        code: HttpStatus[status] ?? 'BAD_REQUEST',
        message: (err as Error).message,
        requestId,
      };
    }
    return { statusCode: 500, code: 'INTERNAL_ERROR', message: 'internal error', requestId };
  }
}
