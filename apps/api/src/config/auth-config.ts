import type { AuthConfig } from '#libs/auth';
import type { Env } from './env.js';

export function authConfig(env: Env, jwtSecret: string): AuthConfig {
  return {
    jwtSecret,
    accessTtlSeconds: env.ACCESS_TOKEN_TTL_SECONDS,
    refreshTtlSeconds: env.REFRESH_TOKEN_TTL_SECONDS,
    maxFailedLogins: 5,
    lockoutSeconds: 15 * 60,
    sessionCacheMs: env.AUTH_SESSION_CACHE_MS,
  };
}
