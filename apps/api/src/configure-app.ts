import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import { requestId } from './http/request-id.middleware.js';

// What cannot be a provider; shared by main.ts and the e2e tests so both run the same app.
export function configureApp(app: INestApplication): void {
  app.use(requestId);
  app.use(helmet());
  const doc = new DocumentBuilder()
    .setTitle('Cyberflag')
    .setDescription('Recording and returns for the police online crime flag (England and Wales)')
    .setVersion('0.1.0')
    .addApiKey({ type: 'apiKey', in: 'header', name: 'x-dev-user' }, 'dev-identity')
    .addSecurityRequirements('dev-identity')
    .build();
  SwaggerModule.setup('api/docs', app, () => SwaggerModule.createDocument(app, doc));
}
