import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { rateLimit } from 'express-rate-limit';
import helmet from 'helmet';
import { requestId } from './http/request-id.middleware.js';

// What cannot be a provider; shared by main.ts and the e2e tests so both run the same app.
export interface HttpOptions {
  authRequestsPerMinute: number; // per client address, for /auth/login and /auth/refresh
}

export function configureApp(app: INestApplication, opts: HttpOptions = { authRequestsPerMinute: 10 }): void {
  app.use(requestId);
  app.use(helmet());
  // Slows password guessing from one client; the login throttle (libs/auth login-throttle.ts) stops it across clients.
  const limiter = rateLimit({
    windowMs: 60_000,
    limit: opts.authRequestsPerMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (_req, res) => {
      res.status(429).json({ statusCode: 429, code: 'TOO_MANY_REQUESTS', message: 'too many login attempts: wait a minute' });
    },
  });
  app.use(['/auth/login', '/auth/refresh'], limiter);
  const doc = new DocumentBuilder()
    .setTitle('Cyberflag')
    .setDescription('Recording and returns for the police online crime flag (England and Wales)')
    .setVersion('0.1.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'POST /auth/login for a token' })
    .build();
  SwaggerModule.setup('api/docs', app, () => SwaggerModule.createDocument(app, doc));
}
