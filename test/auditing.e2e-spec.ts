import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { createTestApp } from './support/create-test-app.js';
import { crimeBody } from './factories/crime.factory.js';
import { loginAs, personas, userOf, type Headers, type Personas } from './factories/identity.js';

// The auditor workspace over HTTP: completeness, under-use, the review queue and its correction path.
// Data: gwent and dyfed-powys records of 2021-22.
interface Item {
  id: string;
  forceId: string;
  crimeId: string;
  reason: string;
  status: string;
  version: number;
  reviewedBy: string | null;
  correctedVersion: number | null;
  crime: { version: number; crimeReference: string };
}
interface LogEntry {
  action: string;
  route: string;
  purpose: string | null;
  forceIds: string[];
  recordIds: string[];
  recordCount: number;
}

describe('auditor workspace: figures and review queue', () => {
  let app: INestApplication<App>;
  let who: Personas;
  let gwentRegistrar: Headers, gwentAuditor: Headers, dyfedRegistrar: Headers;
  const http = () => request(app.getHttpServer());
  const ids: Record<string, string> = {};

  const harassment = (overrides: Record<string, unknown>) =>
    crimeBody({
      offenceCode: '8L',
      victimAge: 30,
      suspectAge: null,
      reportedAt: '2021-06-01T10:00:00Z',
      recordedAt: '2021-06-01T12:00:00Z',
      offenceFrom: '2021-05-20T10:00:00Z',
      offenceTo: null,
      onlinePlatform: null,
      ...overrides,
    });
  async function record(name: string, as: Headers, body: Record<string, unknown>): Promise<void> {
    ids[name] = (
      (await http().post('/crimes').set(as).send(body).expect(201)).body as { id: string }
    ).id;
  }

  beforeAll(async () => {
    app = await createTestApp();
    who = await personas(app);
    gwentRegistrar = await loginAs(app, ['registrar'], ['gwent'], 'reg-gwent');
    gwentAuditor = await loginAs(app, ['auditor'], ['gwent'], 'auditor-gwent');
    dyfedRegistrar = await loginAs(app, ['registrar'], ['dyfed-powys'], 'reg-dyfed');
    const july = {
      reportedAt: '2021-07-01T10:00:00Z',
      recordedAt: '2021-07-01T12:00:00Z',
      offenceFrom: '2021-06-25T10:00:00Z',
    };
    // Harassment by messages flagged 'no': R14 sends it to review (domain.md: 8L/8Q "with message / social media"
    // text; since issue 20 an 8L flagged 'no' without such text is not queued).
    for (const n of [1, 2, 3])
      await record(
        `no${n}`,
        gwentRegistrar,
        harassment({
          forceId: 'gwent',
          onlineFlag: 'no',
          onlineMethod: 'repeated messages to her phone',
        }),
      );
    await record(
      'noMethod',
      gwentRegistrar,
      harassment({ forceId: 'gwent', ...july, onlineMethod: null }),
    );
    await record('yes', gwentRegistrar, harassment({ forceId: 'gwent', ...july }));
    await record(
      'draft',
      gwentRegistrar,
      harassment({
        forceId: 'gwent',
        ...july,
        onlineFlag: 'unknown',
        onlineMethod: null,
        victimAge: null,
        status: 'draft',
      }),
    );
    await record(
      'damage',
      gwentRegistrar,
      harassment({ forceId: 'gwent', offenceCode: '58A', onlineMethod: 'device hacked remotely' }),
    );
    // Changed years after recording: a late flag change.
    await http()
      .patch(`/crimes/${ids.damage}`)
      .set(gwentRegistrar)
      .send({
        version: 1,
        reason: 'no device was involved after all',
        onlineFlag: 'no',
        onlineMethod: null,
      })
      .expect(200);
    for (const n of [1, 2])
      await record(`dp${n}`, dyfedRegistrar, harassment({ forceId: 'dyfed-powys' }));
    await record(
      'dp3',
      dyfedRegistrar,
      harassment({ forceId: 'dyfed-powys', onlineFlag: 'no', onlineMethod: null }),
    );
  });
  afterAll(async () => {
    await app.close();
  });

  describe('completeness', () => {
    it('gives flag and age completeness for the force by group, with a monthly series', async () => {
      const res = await http()
        .get('/audit/completeness')
        .query({ force: 'gwent', year: '2021-22', interval: 'month' })
        .set(gwentAuditor)
        .expect(200);
      expect(res.body).toMatchObject({ forces: ['gwent'], year: '2021-22', by: 'group' });
      expect(res.body.total).toMatchObject({
        records: 7,
        flagYes: 2,
        flagNo: 4,
        flagUnknown: 1,
        ageKnown: 6,
        flagSetShare: 0.8571,
        flagUnknownShare: 0.1429,
      });
      expect(res.body.breakdown).toEqual([
        expect.objectContaining({ group: 'criminal damage and arson', records: 1, flagNo: 1 }),
        expect.objectContaining({
          group: 'violence against the person',
          records: 6,
          flagYes: 2,
          flagNo: 3,
          flagUnknown: 1,
          flagSetShare: 0.8333,
          ageKnownShare: 0.8333,
        }),
      ]);
      expect(res.body.months).toHaveLength(12);
      expect(
        res.body.months
          .map((m: { month: string; total: { records: number } }) => [m.month, m.total.records])
          .filter(([, n]: [string, number]) => n > 0),
      ).toEqual([
        ['2021-06', 4],
        ['2021-07', 3],
      ]);
    });

    it('breaks down by code and exports CSV (a disclosure)', async () => {
      const json = await http()
        .get('/audit/completeness')
        .query({ force: 'gwent', year: '2021-22', by: 'code' })
        .set(gwentAuditor)
        .expect(200);
      expect(json.body.breakdown.map((r: { code: string }) => r.code)).toEqual(['58A', '8L']);
      expect(json.body.months).toBeUndefined();
      const csv = await http()
        .get('/audit/completeness')
        .query({ force: 'gwent', year: '2021-22', format: 'csv' })
        .set(gwentAuditor)
        .expect(200);
      expect(csv.headers['content-type']).toMatch(/^text\/csv/);
      const lines = csv.text.trim().split('\r\n');
      expect(lines[0]).toBe(
        'period,level,offence_group,offence_code,records,flag_yes,flag_no,flag_unknown,flag_set_share,flag_unknown_share,age_known,age_known_share',
      );
      expect(lines[1]).toBe('2021-22,total,,,7,2,4,1,0.8571,0.1429,6,0.8571');
    });

    it("refuses another force's figures (403) and callers who are not auditors", async () => {
      await http()
        .get('/audit/completeness')
        .query({ force: 'gwent', year: '2021-22' })
        .set(who.derbyshireAuditor)
        .expect(403);
      await http()
        .get('/audit/completeness')
        .query({ force: 'gwent', year: '2021-22' })
        .set(who.statistician)
        .expect(403);
      await http()
        .get('/audit/completeness')
        .query({ force: 'gwent', year: '2021-22' })
        .set(gwentRegistrar)
        .expect(403);
      await http()
        .get('/audit/completeness')
        .query({ force: 'gwent', year: '2021/22' })
        .set(gwentAuditor)
        .expect(400);
    });
  });

  describe('under-use', () => {
    it("shows a force auditor only their forces' rows, compared with national totals", async () => {
      const res = await http()
        .get('/audit/under-use')
        .query({ year: '2021-22' })
        .set(gwentAuditor)
        .expect(200);
      expect(res.body.thresholds).toEqual({ minRecords: 30, zThreshold: -1.959964 });
      expect(res.body.rows.every((r: { forceId: string }) => r.forceId === 'gwent')).toBe(true);
      const vap = res.body.rows.find(
        (r: { group: string }) => r.group === 'violence against the person',
      );
      expect(vap).toMatchObject({ flagged: 2, total: 5, rate: 0.4, ranked: false });
      // The rest of the country includes dyfed-powys's 3 records (2 flagged), as totals only.
      expect(vap.rest.total).toBeGreaterThanOrEqual(3);
      expect(vap.reading).toMatch(
        /^flags 40% of violence against the person online against \d+(\.\d)?% nationally$/,
      );
      expect(JSON.stringify(res.body)).not.toContain('dyfed-powys');
    });

    it('shows a national auditor every force, and a derbyshire auditor no gwent row', async () => {
      const national = await http()
        .get('/audit/under-use')
        .query({ year: '2021-22', group: 'violence against the person' })
        .set(who.nationalAuditor)
        .expect(200);
      expect(national.body.rows.map((r: { forceId: string }) => r.forceId)).toEqual(
        expect.arrayContaining(['dyfed-powys', 'gwent']),
      );
      const derbyshire = await http()
        .get('/audit/under-use')
        .query({ year: '2021-22' })
        .set(who.derbyshireAuditor)
        .expect(200);
      expect(
        derbyshire.body.rows.some((r: { forceId: string }) => r.forceId !== 'derbyshire'),
      ).toBe(false);
    });

    it('exports the same rows as CSV, outliers marked, logged as a disclosure', async () => {
      const json = (
        await http()
          .get('/audit/under-use')
          .query({ year: '2021-22' })
          .set(gwentAuditor)
          .expect(200)
      ).body as {
        rows: Record<string, unknown>[];
        outliers: { forceId: string; group: string }[];
        thresholds: { minRecords: number };
      };
      const csv = await http()
        .get('/audit/under-use')
        .query({ year: '2021-22', format: 'csv' })
        .set(gwentAuditor)
        .expect(200);
      expect(csv.headers['content-type']).toMatch(/^text\/csv/);
      expect(csv.headers['content-disposition']).toContain('under-use-2021-22.csv');
      const lines = csv.text.split('\r\n');
      expect(lines[0]).toBe(
        'year,force_id,group,flagged,total,rate,rest_flagged,rest_total,rest_rate,national_rate,z,p_value,ranked,not_ranked_because,outlier,reading',
      );
      const text = (v: unknown) =>
        v === null
          ? ''
          : /[",]/.test(String(v))
            ? `"${String(v).replaceAll('"', '""')}"`
            : String(v);
      const expected = json.rows.map((r) => {
        const rest = r.rest as { flagged: number; total: number; rate: number | null };
        const outlier = json.outliers.some((o) => o.forceId === r.forceId && o.group === r.group);
        return [
          '2021-22',
          r.forceId,
          r.group,
          r.flagged,
          r.total,
          r.rate,
          rest.flagged,
          rest.total,
          rest.rate,
          r.nationalRate,
          r.z,
          r.pValue,
          r.ranked,
          r.ranked
            ? null
            : r.z === null
              ? 'no records in the rest of England and Wales'
              : `fewer than ${json.thresholds.minRecords} records`,
          outlier,
          r.reading,
        ]
          .map(text)
          .join(',');
      });
      expect(lines.slice(1)).toEqual([...expected, '']);
      expect(lines.find((l) => l.startsWith('2021-22,gwent,violence against the person,'))).toMatch(
        /^2021-22,gwent,violence against the person,2,5,0\.4,/,
      );
      const log: LogEntry[] = (
        await http()
          .get('/access-log')
          .query({ user: userOf(gwentAuditor), action: 'disclosure', limit: 1000 })
          .set(who.nationalAuditor)
          .expect(200)
      ).body;
      expect(log.some((e) => e.route === 'GET /audit/under-use')).toBe(true);
    });
  });

  describe('review queue', () => {
    let items: Item[];
    const itemFor = (crime: string, reason: string) => {
      const found = items.find((i) => i.crimeId === ids[crime] && i.reason === reason);
      if (!found) throw new Error(`no ${reason} item for ${crime}`);
      return found;
    };

    beforeAll(async () => {
      const first = await http()
        .post('/audit/review-queue/refresh')
        .query({ force: 'gwent', year: '2021-22' })
        .set(gwentAuditor)
        .expect(200);
      expect(first.body).toMatchObject({
        forces: ['gwent'],
        lateFlagChangeDays: 30,
        found: 5,
        added: 5,
      });
      expect(first.body.byReason).toEqual([
        { reason: 'flag_changed_late', found: 1, added: 1 },
        { reason: 'online_without_method', found: 1, added: 1 },
        { reason: 'usually_online_not_flagged', found: 3, added: 3 },
      ]);
      items = (
        await http()
          .get('/audit/review-queue')
          .query({ force: 'gwent', year: '2021-22' })
          .set(gwentAuditor)
          .expect(200)
      ).body.items;
    });

    it('is idempotent: a second refresh adds nothing', async () => {
      const again = await http()
        .post('/audit/review-queue/refresh')
        .query({ force: 'gwent', year: '2021-22' })
        .set(gwentAuditor)
        .expect(200);
      expect(again.body).toMatchObject({ found: 5, added: 0 });
      expect(items).toHaveLength(5);
      expect(itemFor('damage', 'flag_changed_late').status).toBe('open');
      expect(itemFor('noMethod', 'online_without_method').crime.version).toBe(1);
    });

    it('pages with a cursor and filters by reason and status', async () => {
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await http()
          .get('/audit/review-queue')
          .query({ force: 'gwent', year: '2021-22', limit: '2', ...(cursor ? { cursor } : {}) })
          .set(gwentAuditor)
          .expect(200);
        seen.push(...page.body.items.map((i: Item) => i.id));
        cursor = page.body.nextCursor ?? undefined;
      } while (cursor);
      expect(seen).toEqual(items.map((i) => i.id));
      const usually = await http()
        .get('/audit/review-queue')
        .query({
          force: 'gwent',
          year: '2021-22',
          reason: 'usually_online_not_flagged',
          status: 'open',
        })
        .set(gwentAuditor)
        .expect(200);
      expect(usually.body.items).toHaveLength(3);
      await http()
        .get('/audit/review-queue')
        .query({ cursor: 'not-a-cursor' })
        .set(gwentAuditor)
        .expect(400);
    });

    it('lets an auditor add a record by hand, once', async () => {
      const added = await http()
        .post('/audit/review-queue')
        .set(gwentAuditor)
        .send({ crimeId: ids.yes, note: 'method text looks copied from another record' })
        .expect(201);
      expect(added.body).toMatchObject({
        reason: 'added_by_auditor',
        status: 'open',
        forceId: 'gwent',
        createdBy: userOf(gwentAuditor),
      });
      await http()
        .post('/audit/review-queue')
        .set(gwentAuditor)
        .send({ crimeId: ids.yes, note: 'again' })
        .expect(409);
    });

    it('lets an auditor mark an item with a note, refusing a stale version', async () => {
      const item = itemFor('no1', 'usually_online_not_flagged');
      const res = await http()
        .patch(`/audit/review-queue/${item.id}`)
        .set(gwentAuditor)
        .send({ version: 1, status: 'confirmed_correct', note: 'in-person harassment only' })
        .expect(200);
      expect(res.body).toMatchObject({
        status: 'confirmed_correct',
        version: 2,
        reviewedBy: userOf(gwentAuditor),
        reviewNote: 'in-person harassment only',
      });
      await http()
        .patch(`/audit/review-queue/${item.id}`)
        .set(gwentAuditor)
        .send({ version: 1, status: 'referred', note: 'x' })
        .expect(409);
      await http()
        .patch(`/audit/review-queue/${item.id}`)
        .set(gwentAuditor)
        .send({ version: 2, status: 'corrected', note: 'x' })
        .expect(400);
      await http()
        .patch(`/audit/review-queue/${item.id}`)
        .set(gwentRegistrar)
        .send({ version: 2, status: 'referred', note: 'x' })
        .expect(403);
    });

    it('never lets an auditor amend a record: not directly, not through the queue', async () => {
      const item = itemFor('no2', 'usually_online_not_flagged');
      await http()
        .patch(`/crimes/${ids.no2}`)
        .set(gwentAuditor)
        .send({ version: 1, reason: 'audit', onlineFlag: 'yes', onlineMethod: 'app' })
        .expect(403);
      const body = {
        version: 1,
        reason: 'victim showed the messages',
        changes: { onlineFlag: 'yes', onlineMethod: 'messages on a social media app' },
      };
      await http()
        .post(`/audit/review-queue/${item.id}/correct`)
        .set(gwentAuditor)
        .send(body)
        .expect(403);
      await http()
        .post(`/audit/review-queue/${item.id}/correct`)
        .set(who.nationalAuditor)
        .send(body)
        .expect(403);
      await http()
        .post(`/audit/review-queue/${item.id}/correct`)
        .set(who.derbyshireRegistrar)
        .send(body)
        .expect(404);
      const crime = await http().get(`/crimes/${ids.no2}`).set(gwentRegistrar).expect(200);
      expect(crime.body).toMatchObject({ version: 1, onlineFlag: 'no' });
    });

    it("lets the force's registrar correct through the queue: the amendment path, history kept", async () => {
      const item = itemFor('no2', 'usually_online_not_flagged');
      const body = {
        version: 1,
        reason: 'victim showed the messages',
        changes: { onlineFlag: 'yes', onlineMethod: 'messages on a social media app' },
      };
      const res = await http()
        .post(`/audit/review-queue/${item.id}/correct`)
        .set(gwentRegistrar)
        .send(body)
        .expect(200);
      expect(res.body.item).toMatchObject({
        status: 'corrected',
        correctedVersion: 2,
        reviewedBy: userOf(gwentRegistrar),
        reviewNote: 'victim showed the messages',
      });
      expect(res.body.crime).toMatchObject({ version: 2, onlineFlag: 'yes', ruleWarnings: [] });
      const history = await http()
        .get(`/crimes/${ids.no2}/history`)
        .set(gwentRegistrar)
        .expect(200);
      expect(history.body[1]).toMatchObject({
        version: 2,
        action: 'amended',
        changedBy: userOf(gwentRegistrar),
        reason: `victim showed the messages (review item ${item.id})`,
        changes: { onlineFlag: { old: 'no', new: 'yes' } },
      });
      // A corrected item is final; a confirmed-correct one needs an auditor to reopen it first.
      await http()
        .post(`/audit/review-queue/${item.id}/correct`)
        .set(gwentRegistrar)
        .send({ ...body, version: 2 })
        .expect(409);
      await http()
        .patch(`/audit/review-queue/${item.id}`)
        .set(gwentAuditor)
        .send({ version: 2, status: 'open', note: 'reopen' })
        .expect(409);
      const confirmed = itemFor('no1', 'usually_online_not_flagged');
      await http()
        .post(`/audit/review-queue/${confirmed.id}/correct`)
        .set(gwentRegistrar)
        .send({ ...body, version: 1 })
        .expect(409);
      await http()
        .post(`/audit/review-queue/${confirmed.id}/correct`)
        .set(gwentRegistrar)
        .send({ ...body, changes: {} })
        .expect(400);
    });

    it('keeps a force auditor to their forces: 403 for a filter, nothing of gwent in their own queue, 404 by id', async () => {
      const d = who.derbyshireAuditor;
      await http()
        .get('/audit/review-queue')
        .query({ force: 'gwent', year: '2021-22' })
        .set(d)
        .expect(403);
      await http()
        .post('/audit/review-queue/refresh')
        .query({ force: 'gwent', year: '2021-22' })
        .set(d)
        .expect(403);
      const own = await http()
        .get('/audit/review-queue')
        .query({ limit: '1000' })
        .set(d)
        .expect(200);
      expect(own.body.items.some((i: Item) => i.forceId !== 'derbyshire')).toBe(false);
      const item = itemFor('no3', 'usually_online_not_flagged');
      await http()
        .patch(`/audit/review-queue/${item.id}`)
        .set(d)
        .send({ version: 1, status: 'referred', note: 'x' })
        .expect(404);
      await http()
        .post('/audit/review-queue')
        .set(d)
        .send({ crimeId: ids.no3, note: 'x' })
        .expect(404);
      await http().get('/audit/review-queue').set(who.statistician).expect(403);
      // The force's registrar sees the queue, to make corrections.
      const reg = await http()
        .get('/audit/review-queue')
        .query({ force: 'gwent', year: '2021-22' })
        .set(gwentRegistrar)
        .expect(200);
      expect(reg.body.items.length).toBeGreaterThanOrEqual(5);
    });

    // Filtered to 2021-22 throughout.
    it('exports the whole queue as CSV, logged as a disclosure', async () => {
      const csv = await http()
        .get('/audit/review-queue')
        .query({ force: 'gwent', year: '2021-22', format: 'csv' })
        .set(gwentAuditor)
        .expect(200);
      expect(csv.headers['content-type']).toMatch(/^text\/csv/);
      expect(csv.headers['content-disposition']).toContain('review-queue-gwent.csv');
      const lines = csv.text.trim().split('\r\n');
      expect(lines[0]).toMatch(
        /^item_id,force_id,crime_id,crime_reference,offence_code,financial_year,/,
      );
      expect(lines).toHaveLength(1 + 6);
    });

    it("logs every auditor access with purpose 'audit', and the correction as an alteration", async () => {
      const log: LogEntry[] = (
        await http()
          .get('/access-log')
          .query({ user: userOf(gwentAuditor), limit: 1000 })
          .set(who.nationalAuditor)
          .expect(200)
      ).body;
      expect(log.length).toBeGreaterThan(10);
      expect(log.every((e) => e.purpose === 'audit')).toBe(true);
      expect(log.map((e) => `${e.action} ${e.route}`)).toEqual(
        expect.arrayContaining([
          'consultation GET /audit/completeness',
          'disclosure GET /audit/completeness',
          'consultation GET /audit/under-use',
          'consultation POST /audit/review-queue/refresh',
          'consultation GET /audit/review-queue',
          'disclosure GET /audit/review-queue',
          'consultation POST /audit/review-queue',
          'consultation PATCH /audit/review-queue/:id',
        ]),
      );
      expect(log.find((e) => e.route === 'POST /audit/review-queue')).toMatchObject({
        recordIds: [ids.yes],
        forceIds: ['gwent'],
      });
      const reg: LogEntry[] = (
        await http()
          .get('/access-log')
          .query({ user: userOf(gwentRegistrar), action: 'alteration', limit: 1000 })
          .set(who.nationalAuditor)
          .expect(200)
      ).body;
      expect(reg.find((e) => e.route === 'POST /audit/review-queue/:id/correct')).toMatchObject({
        purpose: 'audit',
        recordIds: [ids.no2],
      });
    });

    // Last in the block: it adds an item by a second auditor.
    it('filters by who added the item, validating the username', async () => {
      const other = await loginAs(app, ['auditor'], ['gwent'], 'auditor2-gwent');
      const added = await http()
        .post('/audit/review-queue')
        .set(other)
        .send({ crimeId: ids.no3, note: 'second opinion on the flag' })
        .expect(201);
      const list = async (q: Record<string, string>): Promise<Item[]> =>
        (
          await http()
            .get('/audit/review-queue')
            .query({ force: 'gwent', year: '2021-22', ...q })
            .set(gwentAuditor)
            .expect(200)
        ).body.items;
      expect((await list({ addedBy: userOf(other) })).map((i) => i.id)).toEqual([added.body.id]);
      const mine = await list({ addedBy: userOf(gwentAuditor) });
      expect(mine).toHaveLength(6);
      expect(mine.some((i) => i.id === added.body.id)).toBe(false);
      expect(await list({ addedBy: userOf(other), reason: 'flag_changed_late' })).toEqual([]);
      expect(await list({ addedBy: 'nobody.here' })).toEqual([]);
      const csv = await http()
        .get('/audit/review-queue')
        .query({ force: 'gwent', year: '2021-22', addedBy: userOf(other), format: 'csv' })
        .set(gwentAuditor)
        .expect(200);
      expect(csv.text.trim().split('\r\n')).toHaveLength(2);
      for (const bad of ['Not A User', 'x', "a'; drop table users; --"])
        await http()
          .get('/audit/review-queue')
          .query({ addedBy: bad })
          .set(gwentAuditor)
          .expect(400);
    });
  });
});
