import pg from 'pg';
import type { Queryable } from '#libs/persistence';
import { insertCrimes } from '../testing/seed-crimes.js';
import { closeAudit, insertAudit, insertStrataAndSample, setVerdict } from './audits.query.js';

// The database keeps a closed audit as it was, whoever asks (here: the owner, who bypasses RLS).
// Records are gwent 2004-05 (November 2004).
describe('audit tables (real PostgreSQL)', () => {
  const client = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
  const db: Queryable = {
    query: async <T>(sql: string, params?: unknown[]) =>
      (await client.query(sql, params)).rows as T[],
  };
  let crimes: string[];

  beforeAll(async () => {
    await client.connect();
    crimes = await insertCrimes(db, {
      force: 'gwent',
      ref: 'GW-AUDIT-INT',
      code: '8L',
      recordedAt: '2004-11-10T10:00:00Z',
      flag: 'no',
      count: 3,
    });
  });
  afterAll(async () => {
    await client.end();
  });

  async function newAudit(): Promise<string> {
    const id = await insertAudit(db, {
      forceId: 'gwent',
      periodLabel: '2004-11-01..2004-11-30',
      start: new Date('2004-11-01T00:00:00Z'),
      end: new Date('2004-12-01T00:00:00Z'),
      groups: ['violence against the person'],
      requestedSampleSize: 2,
      targetMargin: null,
      populationSize: 3,
      sampleSize: 2,
      seed: 'int-test',
      finitePopulationCorrection: true,
      by: 'int-test',
    });
    await insertStrataAndSample(
      db,
      'gwent',
      id,
      [{ stratum: 'violence against the person', populationSize: 3, sampleSize: 2 }],
      [
        { crimeId: crimes[0], stratum: 'violence against the person', drawOrder: 1 },
        { crimeId: crimes[1], stratum: 'violence against the person', drawOrder: 2 },
      ],
    );
    return id;
  }

  const key = (auditId: string, crimeId: string) => ({ forceId: 'gwent', auditId, crimeId });
  const verdict = {
    flag: 'correct',
    classification: 'correct',
    note: null,
    by: 'int-test',
  } as const;

  it('lets verdicts change while the audit is open, but never the drawn sample', async () => {
    const id = await newAudit();
    await expect(setVerdict(db, key(id, crimes[0]), verdict)).resolves.toBe(true);
    await expect(
      setVerdict(db, key(id, crimes[0]), { ...verdict, flag: 'incorrect' }),
    ).resolves.toBe(true);
    await expect(setVerdict(db, key(id, crimes[2]), verdict)).resolves.toBe(false); // not sampled
    await expect(
      db.query(`UPDATE audit_samples SET crime_id = $2 WHERE audit_id = $1 AND crime_id = $3`, [
        id,
        crimes[2],
        crimes[1],
      ]),
    ).rejects.toThrow(/the drawn sample cannot change/);
    await expect(db.query(`DELETE FROM audit_samples WHERE audit_id = $1`, [id])).rejects.toThrow(
      /never deleted/,
    );
    await expect(
      db.query(`UPDATE audit_strata SET sample_size = 3 WHERE audit_id = $1`, [id]),
    ).rejects.toThrow(/append-only/);
  });

  it('refuses any change to a closed audit and its verdicts', async () => {
    const id = await newAudit();
    await setVerdict(db, key(id, crimes[0]), verdict);
    await setVerdict(db, key(id, crimes[1]), { ...verdict, classification: 'cannot_tell' });
    await closeAudit(db, 'gwent', id, 'int-test');
    await expect(
      setVerdict(db, key(id, crimes[0]), { ...verdict, flag: 'incorrect' }),
    ).rejects.toThrow(/is closed/);
    await expect(
      db.query(`UPDATE audit_samples SET note = 'edited' WHERE audit_id = $1`, [id]),
    ).rejects.toThrow(/is closed/);
    await expect(
      db.query(
        `UPDATE audits SET status = 'open', closed_at = NULL, closed_by = NULL WHERE id = $1`,
        [id],
      ),
    ).rejects.toThrow(/is closed/);
    await expect(db.query(`DELETE FROM audits WHERE id = $1`, [id])).rejects.toThrow(/is closed/);
    await expect(
      db.query(
        `INSERT INTO audit_samples (force_id, audit_id, crime_id, stratum, draw_order) VALUES ('gwent', $1, $2, 'violence against the person', 3)`,
        [id, crimes[2]],
      ),
    ).rejects.toThrow(/is closed/);
    const rows = await db.query<{ flag_verdict: string }>(
      `SELECT flag_verdict FROM audit_samples WHERE audit_id = $1 ORDER BY draw_order`,
      [id],
    );
    expect(rows.map((r) => r.flag_verdict)).toEqual(['correct', 'correct']);
  });

  it("keeps force_id in every key: a sample cannot point at another force's record", async () => {
    const id = await newAudit();
    const [other] = await insertCrimes(db, {
      force: 'north-wales',
      ref: 'NW-AUDIT-INT',
      code: '8L',
      recordedAt: '2004-11-10T10:00:00Z',
      flag: 'no',
    });
    await expect(
      db.query(
        `INSERT INTO audit_samples (force_id, audit_id, crime_id, stratum, draw_order) VALUES ('gwent', $1, $2, 'violence against the person', 3)`,
        [id, other],
      ),
    ).rejects.toThrow(/fk_audit_samples_crime/);
  });
});
