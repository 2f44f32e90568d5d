import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AccessLogChainConfig } from '#libs/access-log';
import type { Env } from './env.js';

// JWT_SECRET from the environment; on the embedded demo database, one made once and kept beside the data
// (so tokens survive a restart); never a built-in default.
// The access log's HMAC key (issue #18 finding 8): ACCESS_LOG_KEY, else (not in production) a key made once and
// kept in the data folder. Never a per-process random key: the chain would not verify after a restart.
export function accessLogChain(env: Env, warn: (m: string) => void): AccessLogChainConfig {
  const checkpointDir = env.ACCESS_LOG_CHECKPOINT_DIR ?? env.DATA_DIR;
  if (env.ACCESS_LOG_KEY) return { key: Buffer.from(env.ACCESS_LOG_KEY, 'utf8'), checkpointDir };
  if (env.NODE_ENV === 'production' && env.DATABASE_URL)
    throw new Error('ACCESS_LOG_KEY must be set in production');
  const file = join(env.DATA_DIR, 'access-log-key');
  if (!existsSync(file)) {
    if (env.DATABASE_URL) warn(`ACCESS_LOG_KEY is not set: using a key kept in ${file}`);
    mkdirSync(env.DATA_DIR, { recursive: true });
    writeFileSync(file, randomBytes(48).toString('base64url'), { mode: 0o600 });
  }
  return { key: Buffer.from(readFileSync(file, 'utf8').trim(), 'utf8'), checkpointDir };
}

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
