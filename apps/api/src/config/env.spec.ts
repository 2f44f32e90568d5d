import 'reflect-metadata';
import { availableParallelism } from 'node:os';
import { loadEnv, workerCount } from './env.js';

describe('loadEnv', () => {
  it('listens on loopback unless HOST says otherwise (issue #18 finding 11)', () => {
    expect(loadEnv({}).HOST).toBe('127.0.0.1');
    expect(loadEnv({ HOST: '0.0.0.0' }).HOST).toBe('0.0.0.0');
    expect(loadEnv({ HOST: '::1' }).HOST).toBe('::1');
  });

  it('refuses a HOST that is not an address or host name', () => {
    expect(() => loadEnv({ HOST: 'http://0.0.0.0' })).toThrow(
      /HOST must be an IP address or host name/,
    );
    expect(() => loadEnv({ HOST: '' })).toThrow(/HOST/);
  });

  it('runs one process unless WORKERS asks for more: a number, or auto for one per core', () => {
    expect(workerCount(loadEnv({}))).toBe(1);
    expect(workerCount(loadEnv({ WORKERS: '3' }))).toBe(3);
    expect(workerCount(loadEnv({ WORKERS: 'auto' }))).toBe(availableParallelism());
    for (const bad of ['0', '-1', 'all', '100', ''])
      expect(() => loadEnv({ WORKERS: bad })).toThrow(/WORKERS must be auto or a number/);
  });
});
