import nunjucks from 'nunjucks';
import { WEB_PATHS } from './web-paths.js';
import { registerFilters } from './view-filters.js';

// The pages' Nunjucks environment: the app's views, then the GOV.UK and MOJ design systems' templates and macros.
// One per process, made on first use.
let env: nunjucks.Environment | undefined;

export function views(): nunjucks.Environment {
  if (!env) {
    env = new nunjucks.Environment(
      new nunjucks.FileSystemLoader([WEB_PATHS.views, WEB_PATHS.govuk, WEB_PATHS.moj], {
        noCache: process.env.NODE_ENV !== 'production',
      }),
      { autoescape: true },
    );
    registerFilters(env);
  }
  return env;
}
