import fastifyCookie from '@fastify/cookie';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { Store } from 'express-rate-limit';
import type { FastifyReply, FastifyRequest, RawServerDefault } from 'fastify';
import { configureWeb } from './web/configure-web.js';
import { cspNonce } from './http/csp-nonce.js';
import { securityHeaders } from './http/security-headers.js';
import { authLimiter, limiterHook } from './http/auth-limiter.js';
import { requestId } from './http/request-id.js';
import { readUnparsedBody } from './http/unread-body.js';
import { GracefulShutdown } from './http/graceful-shutdown.js';

// What cannot be a provider; shared by main.ts and the e2e tests so both run the same app.
export interface HttpOptions {
  authRequestsPerMinute: number; // per client address, for /auth/login (six times this for /auth/refresh)
  // Where the limiters count (default: in this process). Workers of a cluster count in the primary, so a client's
  // allowance is the same with one process or several (cluster/shared-rate-limit.ts).
  rateLimitStore?: (name: string) => Store;
}

// Express's JSON and form body parsers refused bodies over 100 kB; the API keeps that limit. Imports are streamed
// and not subject to it (their bytes never go through a body parser).
export const BODY_LIMIT_BYTES = 100 * 1024;

// The HTTP platform: NestJS on Fastify (issue #21: on Express the platform itself was the largest part of a request's
// CPU; bench/README.md, "Thirteenth session"). Used by main.ts and the e2e tests alike.
export function httpAdapter(): FastifyAdapter {
  return new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    // Express matched /crimes/ as /crimes; a path parameter may be a long crime reference.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 1000 },
    // Nest logs errors once, in the filter; Fastify logs nothing of its own.
    logger: false,
    // The app has no Express-style middleware (its per-request work is Fastify hooks), so no @fastify/middie.
    skipMiddie: true,
  });
}

export function configureApp(
  app: NestFastifyApplication,
  opts: HttpOptions = { authRequestsPerMinute: 10 },
): void {
  const fastify = app.getHttpAdapter().getInstance();
  fastify.decorateReply('locals', null as never); // set per request below
  // JSON bodies as Express's parser took them: an empty one (a client that sets the type on every request) is {},
  // not a 400. Prototype keys are refused (400), Fastify's default.
  const json = fastify.getDefaultJsonParser('error', 'error');
  app.useBodyParser<RawServerDefault>(
    'application/json',
    { bodyLimit: BODY_LIMIT_BYTES },
    (req, body, done) => {
      if (body.length === 0) return done(null, {});
      void json(req, body.toString('utf8'), done);
    },
  );
  // Import files are read as they arrive (imports/import-upload.ts): any type but JSON and forms is left unread.
  // (Fastify's own text/plain parser would read a plain-text upload before the import could.)
  fastify.removeContentTypeParser('text/plain');
  fastify.addContentTypeParser('*', (_req, _payload, done) => done(null, undefined));
  const shutdown = app.get(GracefulShutdown);
  // helmet's headers, on the reply; its CSP gets this response's nonce (http/security-headers.ts).
  const setSecurityHeaders = securityHeaders();
  fastify.addHook('onRequest', (req: FastifyRequest, reply: FastifyReply, done) => {
    requestId(req, reply);
    // Counts requests in flight, and answers 503 once the app is stopping (SIGTERM).
    if (!shutdown.admit(req, reply)) return;
    // One nonce per response for the pages' module script and the GOV.UK template's inline snippet.
    const nonce = cspNonce();
    reply.locals = { cspNonce: nonce };
    // Record data, and the pages built from it, are personal data: no browser or proxy may keep a copy (OWASP ASVS
    // V8.2.1). Static assets keep their own caching.
    if (!req.url.startsWith('/assets/')) reply.header('cache-control', 'no-store');
    setSecurityHeaders(reply, nonce);
    done();
  });
  void fastify.register(fastifyCookie);
  configureWeb(app);
  // Slows password guessing from one client; the login throttle (libs/auth login-throttle.ts) stops it across clients.
  const limiters = new Map([
    ['/auth/login', authLimiter(opts, 'login', 1, 'too many login attempts: wait a minute')],
    // Choosing a password hashes it (argon2): limited like signing in.
    ['/auth/password', authLimiter(opts, 'password', 1, 'too many attempts: wait a minute')],
    // Refreshing is not guessing a password: a limiter of its own (so a busy browser tab's refreshes never lock its
    // user out of signing in), generous enough for every tab of a client, tight enough to stop a refresh-token spray.
    ['/auth/refresh', authLimiter(opts, 'refresh', 6, 'too many token refreshes: wait a minute')],
  ]);
  fastify.addHook('onRequest', limiterHook(limiters));
  fastify.addHook('onRequest', readUnparsedBody(BODY_LIMIT_BYTES));
  const doc = new DocumentBuilder()
    .setTitle('Cyberflag')
    .setDescription('Recording and returns for the police online crime flag (England and Wales)')
    .setVersion('0.1.0')
    .addBearerAuth({
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
      description: 'POST /auth/login for a token',
    })
    .build();
  SwaggerModule.setup('api/docs', app, () => SwaggerModule.createDocument(app, doc));
}
