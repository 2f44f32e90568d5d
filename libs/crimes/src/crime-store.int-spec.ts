import { jest } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ScopedDb, typeormOptions } from '#libs/persistence';
import type { Actor } from '#libs/auth';
import { Crime } from './crime.entity.js';
import { CrimeStore, type NewRecord } from './crime-store.js';

// A batch of creates is one statement whose text is kept per layout of its records (which columns each gives) and
// whose values are gathered for each batch (CrimeStore.insertManyStatement, issue #21). If the two ever fell out
// of step, values would land in other columns or other records: so every value of every record is read back,
// with its history row and its own access-log entry, for batches of mixed layouts, first built and then kept.
describe('CrimeStore.insertManyStatement (real PostgreSQL)', () => {
  const ds = new DataSource({
    ...typeormOptions({ url: process.env.TEST_DATABASE_URL!, poolSize: 2 }),
    entities: [Crime],
  });
  const db = new ScopedDb(ds);
  let store: CrimeStore;
  let texts: jest.SpiedFunction<(rows: unknown[]) => unknown>;

  beforeAll(async () => {
    await ds.initialize();
  });
  beforeEach(() => {
    store = new CrimeStore(ds); // its own kept texts
    texts = jest.spyOn(
      CrimeStore.prototype as unknown as { insertText: (rows: unknown[]) => unknown },
      'insertText',
    );
  });
  afterEach(() => jest.restoreAllMocks());
  afterAll(async () => {
    await ds.destroy();
  });

  const actor = (userId: string): Actor => ({
    userId,
    displayName: userId,
    roles: ['registrar'],
    forces: ['derbyshire'],
  });
  let n = 0;
  // Records of four layouts, every value different from every other record's.
  type Layout = 'full' | 'short' | 'reversed' | 'undefinedGiven';
  function record(layout: Layout): NewRecord {
    const i = ++n;
    const day = (h: number) => new Date(Date.UTC(2024, 4, 1 + (i % 20), h, i % 60));
    const full: Record<string, unknown> = {
      forceId: 'derbyshire',
      crimeReference: `STORE-${randomUUID().slice(0, 8)}-${i}`,
      offenceCode: '8L',
      incidentReference: `INC-${i}`,
      reportedAt: day(12),
      recordedAt: day(13),
      offenceFrom: day(8),
      offenceTo: day(9),
      onlineFlag: 'yes',
      onlineMethod: `method ${i}`,
      onlinePlatform: `platform ${i}`,
      victimAge: i % 100,
      victimSex: i % 2 ? 'female' : 'male',
      suspectAge: (i + 7) % 100,
      domesticAbuse: i % 2 === 0,
      hateStrands: i % 2 ? ['race'] : ['religion', 'disability'],
      childSexualExploitation: i % 3 === 0,
      childSexualAbuse: i % 3 === 1,
      status: 'confirmed',
      ruleWarnings: [`W-${i}`],
      acknowledgedRules: [`A-${i}`],
    };
    let crime: Record<string, unknown> = full;
    if (layout === 'short') {
      // Left to the columns' defaults: NULL, or '{}' for the rule lists.
      crime = { ...full };
      for (const k of [
        'incidentReference',
        'offenceTo',
        'onlinePlatform',
        'victimAge',
        'ruleWarnings',
      ])
        delete crime[k];
    } else if (layout === 'reversed') {
      // The same columns as 'full', its properties in the opposite order.
      crime = Object.fromEntries(Object.entries(full).reverse());
    } else if (layout === 'undefinedGiven') {
      crime = { ...full, offenceTo: undefined, suspectAge: undefined }; // undefined: as if left out
    }
    const who = actor(`user-${i}`);
    return {
      crime: crime as NewRecord['crime'],
      actor: who,
      changes: { status: { old: null, new: `confirmed ${i}` } },
      log: {
        ctx: {
          actor: who,
          route: 'POST /crimes',
          purpose: `purpose ${i}`,
          requestId: randomUUID(),
        },
        action: 'collection',
      },
    };
  }

  // What a record should hold: its own values, and the columns' defaults where it gave none.
  function expected(r: NewRecord): Record<string, unknown> {
    const c = r.crime as Record<string, unknown>;
    const or = (k: string, dflt: unknown) => (c[k] === undefined ? dflt : c[k]);
    const iso = (v: unknown) => (v === null ? null : (v as Date).toISOString());
    return {
      crime_reference: c.crimeReference,
      offence_code: c.offenceCode,
      incident_reference: or('incidentReference', null),
      reported_at: iso(c.reportedAt),
      recorded_at: iso(c.recordedAt),
      offence_from: iso(c.offenceFrom),
      offence_to: iso(or('offenceTo', null)),
      online_flag: c.onlineFlag,
      online_method: c.onlineMethod,
      online_platform: or('onlinePlatform', null),
      victim_age: or('victimAge', null),
      victim_sex: c.victimSex,
      suspect_age: or('suspectAge', null),
      domestic_abuse: c.domesticAbuse,
      hate_strands: c.hateStrands,
      child_sexual_exploitation: c.childSexualExploitation,
      child_sexual_abuse: c.childSexualAbuse,
      status: c.status,
      rule_warnings: or('ruleWarnings', []),
      acknowledged_rules: c.acknowledgedRules,
      version: 1,
      created_by: r.actor.userId,
      updated_by: r.actor.userId,
      history: [{ action: 'created', changes: r.changes, changed_by: r.actor.userId, version: 1 }],
      entries: [
        {
          user_id: r.actor.userId,
          action: 'collection',
          purpose: r.log.ctx.purpose,
          request_id: r.log.ctx.requestId,
          force_ids: ['derbyshire'],
        },
      ],
    };
  }

  // Writes the batch as the app does (one scoped, prepared statement) and reads back what each record holds.
  async function writeAndRead(records: NewRecord[]) {
    const statement = store.insertManyStatement(records);
    const [returned] = await db.runStatements<{ id: string }>('all', [statement], {
      prepare: true,
    });
    const made = store.writtenEach(returned!, records);
    const rows = await ds.query<Record<string, unknown>[]>(
      `SELECT c.crime_reference, c.offence_code, c.incident_reference,
         to_json(c.reported_at) #>> '{}' AS reported_at, to_json(c.recorded_at) #>> '{}' AS recorded_at,
         to_json(c.offence_from) #>> '{}' AS offence_from, to_json(c.offence_to) #>> '{}' AS offence_to,
         c.online_flag, c.online_method, c.online_platform, c.victim_age, c.victim_sex, c.suspect_age,
         c.domestic_abuse, c.hate_strands, c.child_sexual_exploitation, c.child_sexual_abuse, c.status,
         c.rule_warnings, c.acknowledged_rules, c.version, c.created_by, c.updated_by,
         (SELECT json_agg(json_build_object('action', h.action, 'changes', h.changes, 'changed_by', h.changed_by,
            'version', h.version)) FROM crime_history h WHERE h.force_id = c.force_id AND h.crime_id = c.id) AS history,
         (SELECT json_agg(json_build_object('user_id', a.user_id, 'action', a.action, 'purpose', a.purpose,
            'request_id', a.request_id, 'force_ids', a.force_ids)) FROM access_log a WHERE c.id = ANY(a.record_ids))
           AS entries
       FROM crimes c WHERE c.force_id = 'derbyshire' AND c.id = ANY($1::uuid[])
       ORDER BY array_position($1::uuid[], c.id)`,
      [made.map((m) => m.id)],
    );
    // Timestamps as toISOString() writes them, whatever the session's time zone.
    for (const row of rows)
      for (const k of ['reported_at', 'recorded_at', 'offence_from', 'offence_to'])
        if (row[k] !== null) row[k] = new Date(row[k] as string).toISOString();
    return { made, rows };
  }

  it('writes each record its own values, history and entry, with the text built and then kept', async () => {
    const layouts: Layout[] = ['full', 'short', 'reversed', 'undefinedGiven', 'short', 'full'];
    for (let round = 0; round < 2; round++) {
      const records = layouts.map(record);
      const { made, rows } = await writeAndRead(records);
      expect(made.map((m) => m.crimeReference)).toEqual(records.map((r) => r.crime.crimeReference));
      expect(rows).toEqual(records.map(expected));
      // The second batch of the same layouts took the text kept from the first.
      expect(texts).toHaveBeenCalledTimes(1);
    }
  });

  it('keeps one text per sequence of layouts, whatever order each record gives its properties in', async () => {
    await writeAndRead([record('full'), record('short')]);
    // The same columns in another property order: the same layout.
    await writeAndRead([record('reversed'), record('short')]);
    expect(texts).toHaveBeenCalledTimes(1);
    // The same layouts in another order, or another number of records: texts of their own, and right.
    const swapped = [record('short'), record('full')];
    const { rows } = await writeAndRead(swapped);
    expect(rows).toEqual(swapped.map(expected));
    const three = [record('short'), record('full'), record('full')];
    expect((await writeAndRead(three)).rows).toEqual(three.map(expected));
    expect(texts).toHaveBeenCalledTimes(3);
    // An undefined value is a column left out: 'undefinedGiven' and a record that omits the same two keys agree.
    const omitted = record('full');
    delete (omitted.crime as Record<string, unknown>).offenceTo;
    delete (omitted.crime as Record<string, unknown>).suspectAge;
    await writeAndRead([record('undefinedGiven')]);
    const alone = [omitted];
    expect((await writeAndRead(alone)).rows).toEqual(alone.map(expected));
    expect(texts).toHaveBeenCalledTimes(4);
  });
});
