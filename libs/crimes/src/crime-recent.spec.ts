import type { Actor } from '#libs/auth';
import type { Crime } from './crime.entity.js';
import { RECENT_CRIMES, RecentCrimes } from './crime-recent.js';

const actor = (forces: string[] | 'all'): Actor => ({
  userId: 'u',
  displayName: 'u',
  roles: ['registrar'],
  forces,
});
const crime = (id: string, version: number, forceId = 'derbyshire') =>
  ({ id, version, forceId }) as Crime;

describe('RecentCrimes', () => {
  it('gives a kept record only at the version asked for, and only to an actor of its force', () => {
    const recent = new RecentCrimes();
    const a = crime('a', 2);
    recent.remember(a);
    expect(recent.at(actor(['derbyshire']), 'a', 2)).toBe(a);
    expect(recent.at(actor('all'), 'a', 2)).toBe(a);
    expect(recent.at(actor(['derbyshire']), 'a', 1)).toBeUndefined();
    expect(recent.at(actor(['derbyshire']), 'a', 3)).toBeUndefined();
    expect(recent.at(actor(['kent']), 'a', 2)).toBeUndefined();
    expect(recent.at(actor(['derbyshire']), 'b', 2)).toBeUndefined();
  });

  it('keeps the newest version it was given, whatever order the writes come back in', () => {
    const recent = new RecentCrimes();
    recent.remember(crime('a', 3));
    recent.remember(crime('a', 2));
    expect(recent.at(actor('all'), 'a', 2)).toBeUndefined();
    expect(recent.at(actor('all'), 'a', 3)).toMatchObject({ version: 3 });
    recent.remember(crime('a', 4));
    expect(recent.at(actor('all'), 'a', 4)).toMatchObject({ version: 4 });
  });

  it('keeps at most RECENT_CRIMES records, dropping the least recently used, and forgets them all', () => {
    const recent = new RecentCrimes();
    for (let i = 0; i <= RECENT_CRIMES; i++) recent.remember(crime(`r${i}`, 1));
    expect(recent.at(actor('all'), 'r0', 1)).toBeUndefined();
    expect(recent.at(actor('all'), 'r1', 1)).toBeDefined();
    expect(recent.at(actor('all'), `r${RECENT_CRIMES}`, 1)).toBeDefined();
    recent.forget();
    expect(recent.at(actor('all'), 'r1', 1)).toBeUndefined();
  });
});
