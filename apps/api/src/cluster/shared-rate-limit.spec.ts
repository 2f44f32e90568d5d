import { EventEmitter } from 'node:events';
import type { Worker } from 'node:cluster';
import type { Options } from 'express-rate-limit';
import { PrimaryRateLimitStore, serveSharedRateLimits } from './shared-rate-limit.js';

// Two workers' stores against one primary, over a fake IPC channel: in this test process, process.send reaches the
// primary's handler and the primary's answer comes back as a message to this process.
describe('rate limits counted in the primary', () => {
  const primary = new EventEmitter();
  const worker = {
    isConnected: () => true,
    send: (m: unknown) => process.emit('message', m, undefined),
  } as unknown as Worker;
  const realSend = Object.getOwnPropertyDescriptor(process, 'send');
  beforeAll(() => {
    serveSharedRateLimits(primary);
    process.send = (m: unknown) => primary.emit('message', worker, m);
  });
  afterAll(() => {
    if (realSend) Object.defineProperty(process, 'send', realSend);
    else delete process.send;
  });

  it('counts a client once across workers, per limiter, until reset', async () => {
    const a = new PrimaryRateLimitStore('login');
    const b = new PrimaryRateLimitStore('login');
    const other = new PrimaryRateLimitStore('refresh');
    for (const s of [a, b, other]) s.init({ windowMs: 60_000 } as Options);
    expect((await a.increment('1.2.3.4')).totalHits).toBe(1);
    expect((await b.increment('1.2.3.4')).totalHits).toBe(2);
    const third = await a.increment('1.2.3.4');
    expect(third.totalHits).toBe(3);
    expect(third.resetTime!.getTime()).toBeGreaterThan(Date.now());
    expect((await other.increment('1.2.3.4')).totalHits).toBe(1); // another limiter, its own count
    expect((await b.increment('5.6.7.8')).totalHits).toBe(1); // another client
    await b.decrement('1.2.3.4');
    expect((await a.increment('1.2.3.4')).totalHits).toBe(3);
    await a.resetKey('1.2.3.4');
    expect((await b.increment('1.2.3.4')).totalHits).toBe(1);
  });
});
