import pg from 'pg';
import { randomUUID } from 'node:crypto';

// The database itself refuses what it can, even when a write bypasses the services.
describe('crimes schema constraints (real PostgreSQL)', () => {
  const client = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });

  beforeAll(async () => {
    await client.connect();
  });
  afterAll(async () => {
    await client.end();
  });

  const base = () => ({
    force_id: 'derbyshire',
    crime_reference: `INT-${randomUUID().slice(0, 12)}`,
    offence_code: '8L',
    reported_at: '2016-03-31T22:00:00Z',
    recorded_at: '2016-03-31T22:30:00Z',
    offence_from: '2016-03-30T10:00:00Z',
    online_flag: 'yes',
    victim_sex: 'female',
    victim_age: 30,
    status: 'confirmed',
    hate_strands: [] as string[],
  });

  async function insert(
    row: Record<string, unknown>,
  ): Promise<{ id: string; financial_year: number }> {
    const r = {
      domestic_abuse: false,
      child_sexual_exploitation: false,
      child_sexual_abuse: false,
      created_by: 't',
      updated_by: 't',
      ...row,
    };
    const cols = Object.keys(r);
    const res = await client.query<{ id: string; financial_year: number }>(
      `INSERT INTO crimes (${cols.join(', ')}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING id, financial_year`,
      Object.values(r),
    );
    return res.rows[0];
  }

  async function violation(row: Record<string, unknown>): Promise<string | undefined> {
    try {
      await insert(row);
      return undefined;
    } catch (e) {
      return (e as { constraint?: string }).constraint;
    }
  }

  it('derives the financial year in UK local time', async () => {
    expect((await insert(base())).financial_year).toBe(2015);
    expect((await insert({ ...base(), recorded_at: '2016-03-31T23:00:00Z' })).financial_year).toBe(
      2016,
    );
    expect(
      (
        await insert({
          ...base(),
          reported_at: '2015-03-31T22:00:00Z',
          recorded_at: '2015-03-31T23:30:00Z',
          offence_from: '2015-03-30T10:00:00Z',
        })
      ).financial_year,
    ).toBe(2015);
  });

  it.each([
    ['an unknown flag on a confirmed record', { online_flag: 'unknown' }, 'ck_crimes_flag_known'],
    ['a flag outside yes/no/unknown', { online_flag: 'maybe' }, 'ck_crimes_online_flag'],
    ['recorded before reported', { recorded_at: '2016-03-31T21:00:00Z' }, 'ck_crimes_date_order'],
    [
      'an offence period ending before it starts',
      { offence_to: '2016-03-29T10:00:00Z' },
      'ck_crimes_date_order',
    ],
    ['a victim aged 121', { victim_age: 121 }, 'ck_crimes_victim_age'],
    ['an unknown hate strand', { hate_strands: ['football'] }, 'ck_crimes_hate_strands'],
    ['an unknown force', { force_id: 'atlantis' }, 'fk_crimes_force'],
    ['an unknown offence code', { offence_code: '999Z' }, 'fk_crimes_offence'],
    ['a cancelled record without a reason', { status: 'cancelled' }, 'ck_crimes_removal'],
    ['a malformed crime reference', { crime_reference: ' bad ref' }, 'ck_crimes_reference'],
    [
      'a crime reference starting with punctuation',
      { crime_reference: '/A1' },
      'ck_crimes_reference',
    ],
    [
      'a crime reference of 65 characters',
      { crime_reference: `R${'x'.repeat(64)}` },
      'ck_crimes_reference',
    ],
  ])('refuses %s', async (_, patch, constraint) => {
    expect(await violation({ ...base(), ...patch })).toBe(constraint);
  });

  // Issue 20: the database agrees with the configurable rules (CF-DATE-001 / CF-DATE-009, CF-FLAG-001 from 2015-16).
  it.each([
    ['an offence start after the report', { offence_from: '2016-03-31T22:00:01Z' }],
    [
      'an offence start after the report, even with an end',
      { offence_from: '2016-03-31T22:00:01Z', offence_to: '2016-04-01T10:00:00Z' },
    ],
  ])('still refuses %s', async (_, patch) => {
    expect(await violation({ ...base(), ...patch })).toBe('ck_crimes_date_order');
  });

  it('accepts an offence that goes on after the report (stalking, coercive control)', async () => {
    await expect(insert({ ...base(), offence_to: '2016-04-20T10:00:00Z' })).resolves.toHaveProperty(
      'id',
    );
  });

  // Before 1 April 2015 (UK time) there was no online flag: a finished record of then says 'unknown'.
  it.each([
    ['recorded 31 March 2015 23:59:59 BST', '2015-03-31T22:59:59Z', undefined],
    ['recorded 1 April 2015 00:00 BST', '2015-03-31T23:00:00Z', 'ck_crimes_flag_known'],
  ])('an unknown flag on a confirmed record %s', async (_, recordedAt, constraint) => {
    const row = {
      ...base(),
      online_flag: 'unknown',
      reported_at: '2015-03-31T22:00:00Z',
      recorded_at: recordedAt,
      offence_from: '2015-03-30T10:00:00Z',
    };
    expect(await violation(row)).toBe(constraint);
  });

  // Issue 20: a transferred record names exactly one receiver, a force or an investigating authority.
  describe('transfers', () => {
    const removed = {
      status: 'transferred',
      cancellation_category: 'C1',
      cancellation_justification: 'the offence happened in Scotland',
      cancelled_at: '2016-04-02T10:00:00Z',
      cancelled_by: 't',
    };
    it.each([
      ['to a force', { transferred_to_force_id: 'durham' }, undefined],
      ['to Police Scotland', { transferred_to_authority_id: 'police-scotland' }, undefined],
      [
        'to both',
        { transferred_to_force_id: 'durham', transferred_to_authority_id: 'psni' },
        'ck_crimes_transfer',
      ],
      ['to no one', {}, 'ck_crimes_transfer'],
      [
        'to an unknown authority',
        { transferred_to_authority_id: 'atlantis-police' },
        'fk_crimes_transferred_to_authority',
      ],
    ])('%s', async (_, patch, constraint) => {
      expect(await violation({ ...base(), ...removed, ...patch })).toBe(constraint);
    });

    it('refuses an authority on a record that is not transferred', async () => {
      expect(await violation({ ...base(), transferred_to_authority_id: 'psni' })).toBe(
        'ck_crimes_transfer',
      );
    });
  });

  it('accepts a crime reference of 64 characters', async () => {
    await expect(
      insert({ ...base(), crime_reference: `R/${randomUUID()}`.padEnd(64, 'x') }),
    ).resolves.toHaveProperty('id');
  });

  it('gives new records time-ordered (version 7) ids', async () => {
    const first = await insert(base());
    await new Promise((r) => setTimeout(r, 5));
    const second = await insert(base());
    for (const { id } of [first, second])
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const ms = (id: string) => parseInt(id.replace(/-/g, '').slice(0, 12), 16);
    expect(Math.abs(ms(first.id) - Date.now())).toBeLessThan(60_000); // the database clock, near this one
    expect(second.id > first.id).toBe(true);
  });

  it('accepts an unknown flag on a draft', async () => {
    await expect(
      insert({ ...base(), online_flag: 'unknown', status: 'draft' }),
    ).resolves.toHaveProperty('id');
  });

  it('refuses a second record with the same reference in a force', async () => {
    const row = base();
    await insert(row);
    expect(await violation({ ...row })).toBe('uq_crimes_reference');
  });

  it('keeps crime history append-only', async () => {
    const crime = await insert(base());
    await client.query(
      `INSERT INTO crime_history (force_id, crime_id, version, action, changes, changed_by) VALUES ('derbyshire', $1, 1, 'created', '{}', 't')`,
      [crime.id],
    );
    await expect(
      client.query(`UPDATE crime_history SET reason = 'rewritten' WHERE crime_id = $1`, [crime.id]),
    ).rejects.toThrow(/append-only/);
    await expect(
      client.query(`DELETE FROM crime_history WHERE crime_id = $1`, [crime.id]),
    ).rejects.toThrow(/append-only/);
  });

  // Migration 1780000027700: a version names one content, so a change made outside the app (an operator's SQL)
  // advances it too, and a client still at the old version is answered 409.
  it('advances the version of any change that leaves it alone, and of no other update', async () => {
    const { id } = await insert(base());
    const version = async () =>
      (await client.query<{ version: number }>(`SELECT version FROM crimes WHERE id = $1`, [id]))
        .rows[0]!.version;
    expect(await version()).toBe(1);
    await client.query(`UPDATE crimes SET victim_age = 31 WHERE id = $1`, [id]);
    expect(await version()).toBe(2);
    await client.query(`UPDATE crimes SET victim_age = 31 WHERE id = $1`, [id]); // changes nothing
    expect(await version()).toBe(2);
    await client.query(`UPDATE crimes SET victim_age = 32, version = 5 WHERE id = $1`, [id]);
    expect(await version()).toBe(5); // a write that sets its version keeps it
  });

  it('refuses history for a crime of another force (force_id is part of the key)', async () => {
    const crime = await insert(base());
    await expect(
      client.query(
        `INSERT INTO crime_history (force_id, crime_id, version, action, changes, changed_by) VALUES ('lincolnshire', $1, 1, 'created', '{}', 't')`,
        [crime.id],
      ),
    ).rejects.toMatchObject({ constraint: 'fk_crime_history_crime' });
  });

  // The catalogue references are checked once per statement over its rows (migration 1780000007000), not by
  // row-level foreign keys; the guarantees are the same.
  it('checks catalogue references on update and in multi-row statements, naming the constraint', async () => {
    const crime = await insert(base());
    const code = async (sql: string, params: unknown[]) =>
      client.query(sql, params).then(
        () => undefined,
        (e: { code?: string; constraint?: string }) => [e.code, e.constraint],
      );
    expect(await code(`UPDATE crimes SET offence_code = '999Z' WHERE id = $1`, [crime.id])).toEqual(
      ['23503', 'fk_crimes_offence'],
    );
    expect(
      await code(
        `UPDATE crimes SET status = 'transferred', transferred_to_force_id = 'atlantis', cancellation_category = 'C3', cancellation_justification = 'x',
         cancelled_at = now(), cancelled_by = 't' WHERE id = $1`,
        [crime.id],
      ),
    ).toEqual(['23503', 'fk_crimes_transferred_to']);
    const [good, bad] = [base(), { ...base(), force_id: 'atlantis' }];
    expect(
      await code(
        `INSERT INTO crimes (force_id, crime_reference, offence_code, reported_at, recorded_at, offence_from, online_flag, victim_sex, status, hate_strands,
         domestic_abuse, child_sexual_exploitation, child_sexual_abuse, created_by, updated_by)
       SELECT f, r, '8L', $3, $4, $5, 'no', 'male', 'confirmed', '{}', false, false, false, 't', 't' FROM unnest($1::text[], $2::text[]) AS x(f, r)`,
        [
          [good.force_id, bad.force_id],
          [good.crime_reference, bad.crime_reference],
          good.reported_at,
          good.recorded_at,
          good.offence_from,
        ],
      ),
    ).toEqual(['23503', 'fk_crimes_force']);
    expect(
      (
        await client.query(`SELECT count(*)::int AS n FROM crimes WHERE crime_reference = $1`, [
          good.crime_reference,
        ])
      ).rows[0].n,
    ).toBe(0);
  });

  it('refuses to delete or rename a force or offence code that records use', async () => {
    await insert(base());
    await expect(client.query(`DELETE FROM offences WHERE code = '8L'`)).rejects.toMatchObject({
      code: '23503',
    });
    await expect(
      client.query(`UPDATE forces SET id = 'derbyshire-old' WHERE id = 'derbyshire'`),
    ).rejects.toMatchObject({ code: '23503' });
    await expect(
      client.query(`UPDATE forces SET name = name WHERE id = 'derbyshire'`),
    ).resolves.toMatchObject({ rowCount: 1 });
  });
});
