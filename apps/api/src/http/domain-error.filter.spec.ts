import type { ArgumentsHost } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { DomainErrorFilter } from './domain-error.filter.js';

// What the filter answers, through a stand-in for Express's request and response.
function answer(err: unknown): { status: number; body: Record<string, unknown> } {
  const sent = { status: 0, body: {} as Record<string, unknown> };
  const res = {
    status: (s: number) => ((sent.status = s), res),
    json: (b: Record<string, unknown>) => ((sent.body = b), res),
  };
  const host = {
    switchToHttp: () => ({
      getRequest: () => ({ headers: { 'x-request-id': 'r1' }, method: 'POST', path: '/x' }),
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
});
