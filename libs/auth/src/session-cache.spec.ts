import { jest } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { SessionCache, type CachedSession } from './session-cache.js';

// The cache's own rules, without a database (the listener is driven by hand through setLive and invalidate; the
// database side is test/session-cache.e2e-spec.ts).
describe('session cache (issue #21)', () => {
  const t0 = new Date('2026-12-06T03:00:00Z').getTime();
  const session = (over: Partial<CachedSession> = {}): CachedSession => ({
    actor: { userId: 'alice', displayName: 'Alice', roles: ['registrar'], forces: ['derbyshire'] },
    userId: 'u-1',
    username: 'alice',
    sessionExpiresAt: new Date(t0 + 3_600_000),
    ...over,
  });
  const liveCache = (ttlMs = 5000) => {
    const c = new SessionCache({} as DataSource, { sessionCacheMs: ttlMs });
    c.setLive(true);
    return c;
  };
  const fill = (c: SessionCache, sid: string, s = session()) => c.put(c.fillToken(), sid, s);

  beforeEach(() => {
    jest.useFakeTimers({ now: t0 });
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('serves a stored session to its own subject until the time to live has passed', () => {
    const c = liveCache(5000);
    fill(c, 's1');
    expect(c.get('s1', 'alice')?.actor.userId).toBe('alice');
    expect(c.get('s1', 'mallory')).toBeUndefined(); // another subject: not served, and dropped
    fill(c, 's1');
    jest.setSystemTime(t0 + 4999);
    expect(c.get('s1', 'alice')).toBeDefined();
    jest.setSystemTime(t0 + 5000);
    expect(c.get('s1', 'alice')).toBeUndefined();
    expect(c.has('s1')).toBe(false);
  });

  it('never serves a session past its own expiry, however recent the check', () => {
    const c = liveCache(5000);
    fill(c, 's1', session({ sessionExpiresAt: new Date(t0 + 1000) }));
    jest.setSystemTime(t0 + 999);
    expect(c.get('s1', 'alice')).toBeDefined();
    jest.setSystemTime(t0 + 1000);
    expect(c.get('s1', 'alice')).toBeUndefined();
  });

  it('evicts a session, every session of a user, or everything, as notifications say', () => {
    const c = liveCache();
    fill(c, 's1');
    fill(c, 's2');
    fill(c, 's3', session({ userId: 'u-2', username: 'bob' }));
    c.invalidate('s1');
    expect([c.has('s1'), c.has('s2'), c.has('s3')]).toEqual([false, true, true]);
    c.invalidate('user:u-1');
    expect([c.has('s2'), c.has('s3')]).toEqual([false, true]);
    c.invalidate('*');
    expect(c.has('s3')).toBe(false);
  });

  it('does not store what was read before a change was heard (the change may be newer than the read)', () => {
    const c = liveCache();
    const token = c.fillToken(); // a request starts reading the session...
    c.invalidate('user:u-1'); // ...the user is deactivated and the notification arrives (nothing to evict yet)...
    c.put(token, 's1', session()); // ...and the read, older than the change, comes back
    expect(c.has('s1')).toBe(false);
    c.put(c.fillToken(), 's1', session()); // a read begun after the change is stored
    expect(c.has('s1')).toBe(true);
  });

  it('caches nothing without a live listener, and forgets everything when it is lost or back', () => {
    const c = new SessionCache({} as DataSource, { sessionCacheMs: 5000 });
    expect(c.enabled).toBe(false);
    expect(c.fillToken()).toBeNull();
    fill(c, 's1');
    expect(c.has('s1')).toBe(false);

    c.setLive(true);
    const before = c.fillToken();
    fill(c, 's1');
    c.setLive(false); // lost: notifications may be missed from now on
    expect(c.has('s1')).toBe(false);
    expect(c.get('s1', 'alice')).toBeUndefined();
    fill(c, 's1');
    expect(c.has('s1')).toBe(false);
    c.setLive(true); // back: a read begun before the loss is not stored
    c.put(before, 's2', session());
    expect(c.has('s2')).toBe(false);
  });

  it('is off with a time to live of 0, listener or not', () => {
    const c = liveCache(0);
    expect(c.enabled).toBe(false);
    fill(c, 's1');
    expect(c.has('s1')).toBe(false);
  });

  it('holds at most MAX_ENTRIES sessions, dropping the oldest first', () => {
    const c = liveCache();
    for (let i = 0; i <= SessionCache.MAX_ENTRIES; i++) fill(c, `s${i}`);
    expect(c.has('s0')).toBe(false);
    expect(c.has('s1')).toBe(true);
    expect(c.has(`s${SessionCache.MAX_ENTRIES}`)).toBe(true);
  });
});
