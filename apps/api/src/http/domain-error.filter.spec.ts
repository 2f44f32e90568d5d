import type { ArgumentsHost } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { DomainErrorFilter } from './domain-error.filter.js';

// What the filter answers, through a stand-in for Fastify's request and reply.
function answer(err: unknown): {
  status: number;
  body: Record<string, unknown>;
  headers: Record<string, string>;
} {
  const sent = {
    status: 0,
    body: {} as Record<string, unknown>,
    headers: {} as Record<string, string>,
  };
  const res = {
    header: (k: string, v: string) => ((sent.headers[k] = v), res),
    status: (s: number) => ((sent.status = s), res),
    send: (b: Record<string, unknown>) => ((sent.body = b), res),
  };
  const host = {
    switchToHttp: () => ({
      getRequest: () => ({
        headers: { 'x-request-id': 'r1' },
        method: 'POST',
        url: '/x',
        routeOptions: { url: '/x' },
      }),
      getResponse: () => res,
    }),
  };
  new DomainErrorFilter().catch(err, host as unknown as ArgumentsHost);
  return sent;
}

describe('DomainErrorFilter', () => {
  // Issue #18 finding 11: the 409 body named the constraint (an internal schema name).
  it.each([
    ['23505', 409, 'CONFLICT'],
    ['23503', 422, 'REFERENCE_NOT_FOUND'],
    ['23514', 422, 'CONSTRAINT_VIOLATION'],
  ])('answers PostgreSQL %s with %i %s, naming no constraint', (code, status, name) => {
    const driverError = Object.assign(
      new Error('duplicate key value violates unique constraint "pk_imports"'),
      { code, constraint: 'pk_imports', detail: 'Key (id)=(x) already exists.' },
    );
    const { status: got, body } = answer(
      new QueryFailedError('INSERT INTO imports …', ['x'], driverError),
    );
    expect(got).toBe(status);
    expect(body).toEqual({
      statusCode: status,
      code: name,
      message: 'the database refused the change',
      requestId: 'r1',
    });
  });

  // Issue #18 finding 10: PostgreSQL restarting, unreachable or out of pool connections answered 500.
  it.each([
    ['57P01', 'terminating connection due to administrator command'],
    ['57P03', 'the database system is shutting down'],
    ['08006', 'connection failure'],
    ['53300', 'sorry, too many clients already'],
  ])('answers PostgreSQL %s (%s) with 503 and Retry-After', (code, message) => {
    const driverError = Object.assign(new Error(message), { code });
    const { status, body, headers } = answer(new QueryFailedError('SELECT 1', [], driverError));
    expect(status).toBe(503);
    expect(body).toEqual({
      statusCode: 503,
      code: 'UNAVAILABLE',
      message: 'the database is unavailable: try again shortly',
      requestId: 'r1',
    });
    expect(headers['retry-after']).toBe('5');
  });

  it.each([
    Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
    new Error('Connection terminated unexpectedly'),
    new Error('Connection terminated'),
  ])('answers a lost connection (%s) with 503', (err) => {
    expect(answer(err).status).toBe(503);
  });

  it('answers a pool that has no free connection in time with a 503 saying the service is busy', () => {
    const { status, body, headers } = answer(new Error('timeout exceeded when trying to connect'));
    expect(status).toBe(503);
    expect(body.message).toMatch(/busy/);
    expect(headers['retry-after']).toBe('5');
  });

  it('still answers an unknown error with 500', () => {
    expect(answer(new Error('something else')).status).toBe(500);
  });
});
