import fastifyStatic from '@fastify/static';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WEB_PATHS } from './web-paths.js';

const WEEK_MS = 7 * 24 * 3600 * 1000;

// The browser interface's assets: the GOV.UK and MOJ design systems served from node_modules (no CDN: works
// offline), and the app's own script and styles. (The views are views.ts; cookies are parsed in configureApp.)
export function configureWeb(app: NestFastifyApplication): void {
  const fastify = app.getHttpAdapter().getInstance();
  const serve = (prefix: string, root: string, maxAge = WEEK_MS) =>
    void fastify.register(fastifyStatic, {
      root,
      prefix,
      maxAge,
      index: false,
      decorateReply: false, // several roots; the app never sends files itself
    });
  serve('/assets/govuk/', join(WEB_PATHS.govuk, 'govuk'));
  serve('/assets/moj/', join(WEB_PATHS.moj, 'moj'));
  // govuk-frontend's CSS asks for its fonts and images at /assets/fonts and /assets/images.
  serve('/assets/fonts/', join(WEB_PATHS.govuk, 'govuk/assets/fonts'));
  serve('/assets/images/', join(WEB_PATHS.govuk, 'govuk/assets/images'));
  const manifest = readFileSync(join(WEB_PATHS.govuk, 'govuk/assets/manifest.json'));
  fastify.get('/assets/manifest.json', (_req, reply) =>
    reply
      .type('application/json; charset=utf-8')
      .header('cache-control', `public, max-age=${WEEK_MS / 1000}`)
      .send(manifest),
  );
  serve('/assets/app/', WEB_PATHS.public, 0);
}
