// Coded domain errors: libraries throw these with no HTTP knowledge; one filter in apps/api maps codes to statuses.
export type DomainErrorCode =
  | 'NOT_FOUND'
  | 'RULE_VIOLATION'
  | 'DUPLICATE_REFERENCE'
  | 'VERSION_CONFLICT'
  | 'INVALID_TRANSITION'
  | 'FORBIDDEN_SCOPE'
  | 'INVALID_INPUT'
  // The service cannot do it now (shutting down, database unreachable): the same request may succeed later.
  | 'UNAVAILABLE'
  | 'ROLE_CONFLICT' // issue #18 finding 6: admin with a data role
  | 'PASSWORD_CHANGE_REQUIRED'; // a one-time password signs in only to choose one's own

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}
