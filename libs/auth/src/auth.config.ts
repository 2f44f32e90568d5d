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
}
