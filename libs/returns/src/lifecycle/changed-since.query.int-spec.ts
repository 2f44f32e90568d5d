import pg from 'pg';
import { randomUUID } from 'node:crypto';
import { pgQueryable, type Queryable } from '#libs/persistence';
import { insertCrime, insertHistory } from '../testing/insert-records.js';
import { queryChangedSince } from './changed-since.query.js';

// "Changed since submission" counts records a bulk import created after the submission: an imported record has
// no stored 'created' history row (crimes.import_id marks it). Hertfordshire 2009-10.
describe('queryChangedSince (real PostgreSQL)', () => {
  const client = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
  let db: Queryable;
  const since = new Date('2010-02-01T00:00:00Z');
  const crime = (ref: string) => ({
    force: 'hertfordshire',
    ref,
    code: '8L',
    recordedAt: '2009-06-01T12:00:00Z',
    flag: 'yes' as const,
    age: 30,
    sex: 'female' as const,
  });
  const imported = (ref: string, createdAt: string) =>
    insertCrime(db, { ...crime(ref), importId: randomUUID(), createdAt });

  beforeAll(async () => {
    await client.connect();
    db = pgQueryable(client);
  });
  afterAll(async () => {
    await client.end();
  });

  it('lists records imported after the submission, with edits, and not those imported before it', async () => {
    const before = await imported('CS-IMP-OLD', '2010-01-15T00:00:00Z');
    const after = await imported('CS-IMP-NEW', '2010-02-10T00:00:00Z');
    const edited = await imported('CS-IMP-EDIT', '2010-01-20T00:00:00Z');
    await insertHistory(db, {
      force: 'hertfordshire',
      crimeId: edited,
      version: 2,
      action: 'amended',
      changes: { victimAge: { old: 29, new: 30 } },
      changedAt: '2010-02-12T00:00:00Z',
    });
    const viaApi = await insertCrime(db, crime('CS-API-NEW'));
    await insertHistory(db, {
      force: 'hertfordshire',
      crimeId: viaApi,
      version: 1,
      action: 'created',
      changes: {},
      changedAt: '2010-02-11T00:00:00Z',
    });

    const rows = await queryChangedSince(db, {
      forceId: 'hertfordshire',
      year: 2009,
      since,
      limit: 10,
    });
    expect(rows.map((r) => [r.crime_reference, r.changes, r.last_changed_at])).toEqual([
      ['CS-API-NEW', 1, '2010-02-11T00:00:00.000000Z'],
      ['CS-IMP-EDIT', 1, '2010-02-12T00:00:00.000000Z'],
      ['CS-IMP-NEW', 1, '2010-02-10T00:00:00.000000Z'],
    ]);
    expect(rows.map((r) => r.crime_id)).not.toContain(before);
    expect(rows.map((r) => r.crime_id)).toContain(after);
    expect(rows.every((r) => r.total_count === 3)).toBe(true);
  });
});
