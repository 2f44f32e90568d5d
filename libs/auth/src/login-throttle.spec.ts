import { decide, delaySeconds, type ThrottlePolicy, type ThrottleRow } from './login-throttle.js';

const policy: ThrottlePolicy = {
  sourceAllowance: 5,
  accountAllowance: 50,
  baseDelaySeconds: 30,
  maxDelaySeconds: 900,
};
const now = new Date('2026-01-01T12:00:00Z');
const ago = (s: number) => new Date(now.getTime() - s * 1000);
const row = (failures: number, blockedFor: number | null = null, lastAgo = 1): ThrottleRow => ({
  failures,
  blockedUntil: blockedFor === null ? null : new Date(now.getTime() + blockedFor * 1000),
  lastFailureAt: ago(lastAgo),
});

describe('login throttle (issue #18 finding 9)', () => {
  it.each([
    [1, 0],
    [4, 0],
    [5, 30],
    [6, 60],
    [7, 120],
    [9, 480],
    [10, 900],
    [40, 900],
    [10_000, 900],
  ])('after %i failures from one source the delay is %i s', (failures, seconds) => {
    expect(delaySeconds(failures, 5, policy)).toBe(seconds);
  });

  it('lets the first attempts through and counts each as a failure until proven otherwise', () => {
    expect(decide({}, now, policy)).toEqual({
      evaluate: true,
      next: {
        account: { failures: 1, blockedUntil: null, lastFailureAt: now },
        source: { failures: 1, blockedUntil: null, lastFailureAt: now },
      },
    });
  });

  it('starts the delay on the failure that uses up the allowance, and refuses the attempts during it unchecked', () => {
    const fifth = decide({ account: row(4), source: row(4) }, now, policy);
    expect(fifth.evaluate).toBe(true);
    expect(fifth.next.source?.blockedUntil).toEqual(new Date(now.getTime() + 30_000));
    expect(fifth.next.account?.blockedUntil).toBeNull(); // the account's allowance is larger
    expect(decide({ account: row(5), source: row(5, 10) }, now, policy)).toEqual({
      evaluate: false,
      next: {},
    });
  });

  it('doubles the delay with each failure after one runs out', () => {
    const after = decide({ account: row(5), source: row(5, -1) }, now, policy);
    expect(after.evaluate).toBe(true);
    expect(after.next.source).toEqual({
      failures: 6,
      blockedUntil: new Date(now.getTime() + 60_000),
      lastFailureAt: now,
    });
  });

  it('delays every source once the account has used up its own allowance', () => {
    expect(decide({ account: row(50, 30), source: undefined }, now, policy)).toEqual({
      evaluate: false,
      next: {},
    });
    expect(
      decide({ account: row(49), source: row(0) }, now, policy).next.account?.blockedUntil,
    ).toEqual(new Date(now.getTime() + 30_000));
  });

  it('forgets failures older than the window', () => {
    const stale = decide({ account: row(49, null, 901), source: row(4, null, 901) }, now, policy);
    expect(stale.next.account?.failures).toBe(1);
    expect(stale.next.source).toEqual({ failures: 1, blockedUntil: null, lastFailureAt: now });
    expect(
      decide({ account: row(49, null, 900), source: row(4, null, 900) }, now, policy).next.source
        ?.failures,
    ).toBe(5);
  });
});
