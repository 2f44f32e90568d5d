import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// The project root (the folder with package.json), found from this file whether it runs from src (tests) or dist.
function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('package.json not found above the web module');
    dir = up;
  }
  return dir;
}

const root = projectRoot();
export const WEB_PATHS = {
  views: join(root, 'apps/api/web/views'),
  public: join(root, 'apps/api/web/public'),
  govuk: join(root, 'node_modules/govuk-frontend/dist'),
  moj: join(root, 'node_modules/@ministryofjustice/frontend'),
  axe: join(root, 'node_modules/axe-core/axe.min.js'),
};
