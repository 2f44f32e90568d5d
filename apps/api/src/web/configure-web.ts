import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import cookieParser from 'cookie-parser';
import express, { type NextFunction, type Request, type Response } from 'express';
import nunjucks from 'nunjucks';
import { join } from 'node:path';
import { WEB_PATHS } from './web-paths.js';
import { registerFilters } from './view-filters.js';

// The browser interface: Nunjucks views over the GOV.UK and MOJ design systems, their assets served from
// node_modules (no CDN: works offline), and cookies parsed for the session and CSRF cookies.
export function configureWeb(app: INestApplication): void {
  const express_ = app as NestExpressApplication;
  const env = nunjucks.configure([WEB_PATHS.views, WEB_PATHS.govuk, WEB_PATHS.moj], {
    autoescape: true,
    express: express_.getHttpAdapter().getInstance(),
    noCache: process.env.NODE_ENV !== 'production',
  });
  registerFilters(env);
  express_.setViewEngine('njk');
  // Only requests that carry cookies (browsers) are parsed: an API client's request then gets no req.cookies, which
  // every reader takes as none (web-session.ts, web-csrf.ts), instead of two empty objects each time.
  const parseCookies = cookieParser();
  express_.use((req: Request, res: Response, next: NextFunction) =>
    req.headers.cookie === undefined ? next() : parseCookies(req, res, next),
  );
  const immutable = { maxAge: '7d', fallthrough: false, index: false };
  // govuk-frontend's CSS asks for its fonts and images at /assets/fonts and /assets/images.
  express_.use('/assets/govuk', express.static(join(WEB_PATHS.govuk, 'govuk'), immutable));
  express_.use('/assets/moj', express.static(join(WEB_PATHS.moj, 'moj'), immutable));
  express_.use(
    '/assets/fonts',
    express.static(join(WEB_PATHS.govuk, 'govuk/assets/fonts'), immutable),
  );
  express_.use(
    '/assets/images',
    express.static(join(WEB_PATHS.govuk, 'govuk/assets/images'), immutable),
  );
  express_.use(
    '/assets/manifest.json',
    express.static(join(WEB_PATHS.govuk, 'govuk/assets/manifest.json'), immutable),
  );
  express_.use('/assets/app', express.static(WEB_PATHS.public, { ...immutable, maxAge: 0 }));
}
