import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { rateLimit, type Store } from 'express-rate-limit';
import helmet from 'helmet';
import { configureWeb } from './web/configure-web.js';
import { cspNonce } from './http/csp-nonce.js';
import { requestId } from './http/request-id.middleware.js';
import { GracefulShutdown } from './http/graceful-shutdown.js';

// What cannot be a provider; shared by main.ts and the e2e tests so both run the same app.
export interface HttpOptions {
  authRequestsPerMinute: number; // per client address, for /auth/login (six times this for /auth/refresh)
  // Where the limiters count (default: in this process). Workers of a cluster count in the primary, so a client's
  // allowance is the same with one process or several (cluster/shared-rate-limit.ts).
  rateLimitStore?: (name: string) => Store;
}

export function configureApp(
  app: INestApplication,
  opts: HttpOptions = { authRequestsPerMinute: 10 },
): void {
  app.use(requestId);
  // Counts requests in flight, and answers 503 once the app is stopping (SIGTERM).
  app.use(app.get(GracefulShutdown).middleware);
  // One nonce per response for the pages' module script and the GOV.UK template's inline snippet.
  app.use((_req: unknown, res: { locals: Record<string, unknown> }, next: () => void) => {
    res.locals.cspNonce = cspNonce();
    next();
  });
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          scriptSrc: [
            "'self'",
            (_req, res) =>
              `'nonce-${String((res as unknown as { locals: Record<string, unknown> }).locals.cspNonce)}'`,
          ],
        },
      },
    }),
  );
  configureWeb(app);
  // Record data, and the pages built from it, are personal data: no browser or proxy may keep a copy (OWASP ASVS
  // V8.2.1). Static assets are answered before this (configureWeb) and keep their own caching. So an ETag would
  // never be used: Express's SHA-1 of every body (3 % of a list's CPU, issue #21) is not computed.
  app.use(
    (_req: unknown, res: { setHeader(name: string, value: string): void }, next: () => void) => {
      res.setHeader('cache-control', 'no-store');
      next();
    },
  );
  (app.getHttpAdapter().getInstance() as { set(setting: string, value: unknown): void }).set(
    'etag',
    false,
  );
  // Slows password guessing from one client; the login throttle (libs/auth login-throttle.ts) stops it across clients.
  app.use('/auth/login', authLimiter(opts, 'login', 1, 'too many login attempts: wait a minute'));
  // Choosing a password hashes it (argon2): limited like signing in.
  app.use('/auth/password', authLimiter(opts, 'password', 1, 'too many attempts: wait a minute'));
  // Refreshing is not guessing a password: a limiter of its own (so a busy browser tab's refreshes never lock its user
  // out of signing in), generous enough for every tab of a client, tight enough to stop a refresh-token spray.
  app.use(
    '/auth/refresh',
    authLimiter(opts, 'refresh', 6, 'too many token refreshes: wait a minute'),
  );
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

function authLimiter(opts: HttpOptions, name: string, times: number, message: string) {
  return rateLimit({
    windowMs: 60_000,
    limit: opts.authRequestsPerMinute * times,
    ...(opts.rateLimitStore ? { store: opts.rateLimitStore(name) } : {}),
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (_req, res) => {
      res.status(429).json({ statusCode: 429, code: 'TOO_MANY_REQUESTS', message });
    },
  });
}
