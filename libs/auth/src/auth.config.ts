export const AUTH_CONFIG = Symbol('AUTH_CONFIG');

export interface AuthConfig {
  jwtSecret: string;
  accessTtlSeconds: number;
  refreshTtlSeconds: number;
  maxFailedLogins: number; // failures per account and source before login delays start (login-throttle.ts)
  lockoutSeconds: number; // the longest delay, and how long failures are remembered
  accountFailureAllowance?: number; // failures per account from all sources before delays start (default 10 x maxFailedLogins)
  throttleBaseSeconds?: number; // the first delay, doubled by each further failure (default 30)
  // Passport keeps strategies in a process-wide registry: a second application in the same process (a CLI command
  // run from a test, say) would replace the HTTP app's sign-in strategy. Apps without HTTP set this to false.
  passportStrategies?: boolean;
  webIdleSeconds?: number; // a browser session ends after this long without a request (default 1800)
  secureCookies?: boolean; // Secure cookies (production: served over HTTPS)
  // How long a checked session is trusted without the database, while the invalidation listener is live
  // (session-cache.ts). 0 or unset: every request reads the database (commands, which serve no requests).
  sessionCacheMs?: number;
}
