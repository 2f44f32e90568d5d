export const AUTH_CONFIG = Symbol('AUTH_CONFIG');

export interface AuthConfig {
  jwtSecret: string;
  accessTtlSeconds: number;
  refreshTtlSeconds: number;
  maxFailedLogins: number;
  lockoutSeconds: number;
  // Passport keeps strategies in a process-wide registry: a second application in the same process (a CLI command
  // run from a test, say) would replace the HTTP app's strategy. Apps without HTTP set this to false.
  passportStrategies?: boolean;
  webIdleSeconds?: number; // a browser session ends after this long without a request (default 1800)
  secureCookies?: boolean; // Secure cookies (production: served over HTTPS)
}
