import { QueryFailedError } from 'typeorm';

// PostgreSQL restarting or unreachable, or the pool out of connections: the request was not done and may be sent
// again, so the HTTP filter answers 503 (issue #18 finding 10), never a 500. pg reports a lost server as a
// SQLSTATE (57P01 admin shutdown, 57P02 crash, 57P03 starting up or shutting down, 53300 too many connections,
// class 08 connection exceptions), a socket error code, or only a message (a connection ended mid-query, the
// pool's wait timing out).
const PG_UNAVAILABLE = /^(57P0[123]|53300|08...)$/;
const SOCKET_UNAVAILABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);
const MESSAGE_UNAVAILABLE =
  /^(Connection terminated|Client has encountered a connection error|Cannot use a pool after calling end|Client was closed and is not queryable)/;
const POOL_TIMEOUT = /^timeout exceeded when trying to connect/;

export function unavailableReason(err: unknown): 'busy' | 'down' | null {
  const e = (err instanceof QueryFailedError ? err.driverError : err) as
    { code?: unknown; message?: unknown } | null | undefined;
  if (typeof e !== 'object' || e === null) return null;
  const code = typeof e.code === 'string' ? e.code : '';
  const message = typeof e.message === 'string' ? e.message : '';
  if (POOL_TIMEOUT.test(message)) return 'busy';
  if (
    PG_UNAVAILABLE.test(code) ||
    SOCKET_UNAVAILABLE.has(code) ||
    MESSAGE_UNAVAILABLE.test(message)
  )
    return 'down';
  return null;
}
