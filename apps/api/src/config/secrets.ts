import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Env } from './env.js';

// JWT_SECRET from the environment; on the embedded demo database, one made once and kept beside the data
// (so tokens survive a restart); never a built-in default.
export function jwtSecret(env: Env, embedded: boolean, warn: (m: string) => void): string {
  if (env.JWT_SECRET) return env.JWT_SECRET;
  if (embedded) {
    const file = join(env.DATA_DIR, 'jwt-secret');
    if (!existsSync(file)) {
      mkdirSync(env.DATA_DIR, { recursive: true });
      writeFileSync(file, randomBytes(48).toString('base64url'), { mode: 0o600 });
    }
    return readFileSync(file, 'utf8').trim();
  }
  if (env.NODE_ENV === 'production') throw new Error('JWT_SECRET must be set in production');
  warn('JWT_SECRET is not set: using a random secret for this process (tokens end at restart)');
  return randomBytes(48).toString('base64url');
}
