import type { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { createTestApp, testDatabaseUrl } from './support/create-test-app.js';
import { crimeBody } from './factories/crime.factory.js';
import { loginAs, userOf, type Headers } from './factories/identity.js';

// Issue 13: find by reference, the missing lists, validate without saving, bulk resolution, hints and small fixes.
// Record data lives in Cheshire and Durham, with references unique to this file.
describe('daily work through the API', () => {
  let app: INestApplication<App>;
  let db: pg.Client;
  let cheshireReg: Headers,
    cheshireFcr: Headers,
    durhamReg: Headers,
    durhamFcr: Headers,
    bothReg: Headers;
  let cheshireAuditor: Headers, nationalAuditor: Headers, statistician: Headers;
  const http = () => request(app.getHttpServer());
  const tag = randomUUID().slice(0, 8).toUpperCase();

  beforeAll(async () => {
    app = await createTestApp();
    db = new pg.Client({ connectionString: testDatabaseUrl() });
    await db.connect();
    cheshireReg = await loginAs(app, ['registrar'], ['cheshire'], 'reg-cheshire');
    cheshireFcr = await loginAs(app, ['force_crime_registrar'], ['cheshire'], 'fcr-cheshire');
    durhamReg = await loginAs(app, ['registrar'], ['durham'], 'reg-durham');
    durhamFcr = await loginAs(app, ['force_crime_registrar'], ['durham'], 'fcr-durham');
    bothReg = await loginAs(app, ['registrar'], ['cheshire', 'durham'], 'reg-ches-dur');
    cheshireAuditor = await loginAs(app, ['auditor'], ['cheshire'], 'auditor-cheshire');
    nationalAuditor = await loginAs(app, ['auditor'], 'all', 'auditor-all');
    statistician = await loginAs(app, ['statistician'], 'all', 'stat');
  });
  afterAll(async () => {
    await db.end();
    await app.close();
  });

  async function record(overrides: Record<string, unknown>, as: Headers) {
    const res = await http().post('/crimes').set(as).send(crimeBody(overrides));
    expect(res.status).toBe(201);
    return res.body as {
      id: string;
      version: number;
      crimeReference: string;
      forceId: string;
      status: string;
    };
  }
  const counts = async () => {
    const r = await db.query<{ crimes: number; history: number; log: number; alterations: number }>(
      `SELECT (SELECT count(*)::int FROM crimes) AS crimes, (SELECT count(*)::int FROM crime_history) AS history,
              (SELECT count(*)::int FROM access_log) AS log,
              (SELECT count(*)::int FROM access_log WHERE action IN ('collection', 'alteration')) AS alterations`,
    );
    return r.rows[0];
  };

  describe('finding a crime by its reference', () => {
    const shared = `CH/${tag}/000123`;
    let inCheshire: { id: string }, inDurham: { id: string };
    beforeAll(async () => {
      inCheshire = await record({ forceId: 'cheshire', crimeReference: shared }, cheshireReg);
      inDurham = await record({ forceId: 'durham', crimeReference: shared }, durhamReg);
      await record({ forceId: 'cheshire', crimeReference: `CH/${tag}/000124` }, cheshireReg);
      await record({ forceId: 'cheshire', crimeReference: `CH/${tag}/001000` }, cheshireReg);
      await record({ forceId: 'cheshire', crimeReference: `CH/${tag}X/000001` }, cheshireReg);
    });

    it("finds the exact reference within the caller's forces only", async () => {
      const own = await http()
        .get('/crimes')
        .query({ reference: shared })
        .set(cheshireReg)
        .expect(200);
      expect(own.body.items.map((c: { id: string }) => c.id)).toEqual([inCheshire.id]);
      const both = await http()
        .get('/crimes')
        .query({ reference: shared })
        .set(bothReg)
        .expect(200);
      expect(both.body.items.map((c: { id: string }) => c.id).sort()).toEqual(
        [inCheshire.id, inDurham.id].sort(),
      );
      const narrowed = await http()
        .get('/crimes')
        .query({ reference: shared, force: 'durham' })
        .set(bothReg)
        .expect(200);
      expect(narrowed.body.items.map((c: { id: string }) => c.id)).toEqual([inDurham.id]);
      await http()
        .get('/crimes')
        .query({ reference: shared, force: 'durham' })
        .set(cheshireReg)
        .expect(403);
      const none = await http()
        .get('/crimes')
        .query({ reference: `CH/${tag}/999999` })
        .set(cheshireReg)
        .expect(200);
      expect(none.body.items).toEqual([]);
    });

    it('finds references by prefix, exactly (a longer sibling prefix is not a match)', async () => {
      const res = await http()
        .get('/crimes')
        .query({ referencePrefix: `CH/${tag}/00`, force: 'cheshire' })
        .set(cheshireReg)
        .expect(200);
      expect(
        res.body.items.map((c: { crimeReference: string }) => c.crimeReference).sort(),
      ).toEqual([`CH/${tag}/000123`, `CH/${tag}/000124`, `CH/${tag}/001000`].sort());
      const wider = await http()
        .get('/crimes')
        .query({ referencePrefix: `CH/${tag}` })
        .set(cheshireReg)
        .expect(200);
      expect(wider.body.items).toHaveLength(4);
      await http()
        .get('/crimes')
        .query({ referencePrefix: 'bad prefix' })
        .set(cheshireReg)
        .expect(400);
    });

    it('serves a prefix search from the reference index (a range of uq_crimes_reference)', async () => {
      // A test database is too small for the planner to prefer any index, so the other indexes on crimes are
      // dropped inside a transaction that is rolled back: what remains shows the condition is an index range.
      await db.query('BEGIN');
      try {
        await db.query(
          `DROP INDEX ix_crimes_id, ix_crimes_force_year, ix_crimes_recorded_at, ix_crimes_force_year_updated, ix_crimes_incident, ix_crimes_force_recorded, ix_crimes_force_updater`,
        );
        await db.query(`SET LOCAL enable_seqscan = off`);
        const plan = await db.query(
          `EXPLAIN SELECT id FROM crimes c WHERE c.force_id = $1 AND starts_with(c.crime_reference, $2)
             AND c.crime_reference >= $2 AND c.crime_reference < $3`,
          ['cheshire', `CH/${tag}/00`, `CH/${tag}/01`],
        );
        const text = plan.rows.map((r: { 'QUERY PLAN': string }) => r['QUERY PLAN']).join('\n');
        expect(text).toMatch(/uq_crimes_reference/);
        expect(text).toMatch(/Index Cond: .*crime_reference >= /);
      } finally {
        await db.query('ROLLBACK');
      }
    });

    it('answers GET /crimes/by-reference/:force/:reference with the record, encoded or not, or 404', async () => {
      const plain = await http()
        .get(`/crimes/by-reference/cheshire/${shared}`)
        .set(cheshireReg)
        .expect(200);
      expect(plain.body).toMatchObject({
        id: inCheshire.id,
        forceId: 'cheshire',
        crimeReference: shared,
      });
      const encoded = await http()
        .get(`/crimes/by-reference/durham/${encodeURIComponent(shared)}`)
        .set(bothReg)
        .expect(200);
      expect(encoded.body.id).toBe(inDurham.id);
      const missing = await http()
        .get(`/crimes/by-reference/cheshire/CH/${tag}/404`)
        .set(cheshireReg)
        .expect(404);
      expect(missing.body.code).toBe('NOT_FOUND');
      await http().get(`/crimes/by-reference/durham/${shared}`).set(cheshireReg).expect(403);
      await http().get(`/crimes/by-reference/cheshire/${shared}`).set(statistician).expect(403);
      const log = await db.query(
        `SELECT action FROM access_log WHERE user_id = $1 AND record_ids @> ARRAY[$2]::uuid[] AND route LIKE 'GET /crimes/by-reference%'`,
        [userOf(cheshireReg), inCheshire.id],
      );
      expect(log.rows.map((r: { action: string }) => r.action)).toEqual(['consultation']);
    });
  });

  describe('validate without saving', () => {
    it('answers the findings of a candidate record with fields and hints, and writes nothing', async () => {
      const before = await counts();
      const res = await http()
        .post('/crimes/validate')
        .set(cheshireReg)
        .send(
          crimeBody({
            forceId: 'cheshire',
            offenceCode: '19D',
            victimAge: 12,
            crimeReference: `V-${tag}-1`,
          }),
        )
        .expect(200);
      expect(res.body.outcome).toBe('needs_acknowledgement');
      expect(res.body.findings).toEqual([
        expect.objectContaining({
          code: 'CF-AGE-005',
          severity: 'confirm',
          fields: ['offenceCode', 'victimAge'],
          hint: 'to save anyway, send "CF-AGE-005" in acknowledge',
          reference: expect.any(String),
          message: expect.any(String),
        }),
      ]);
      const acknowledged = await http()
        .post('/crimes/validate')
        .set(cheshireReg)
        .send(
          crimeBody({
            forceId: 'cheshire',
            offenceCode: '19D',
            victimAge: 12,
            acknowledge: ['CF-AGE-005'],
          }),
        )
        .expect(200);
      expect(acknowledged.body.outcome).toBe('would_save');
      const refused = await http()
        .post('/crimes/validate')
        .set(cheshireReg)
        .send(crimeBody({ forceId: 'cheshire', offenceCode: '71/17', victimAge: 17 }))
        .expect(200);
      expect(refused.body.outcome).toBe('refused');
      expect(refused.body.findings.map((f: { code: string }) => f.code)).toEqual(['CF-AGE-002']);
      const partial = await http()
        .post('/crimes/validate')
        .set(cheshireReg)
        .send({ forceId: 'cheshire', offenceCode: '71/17', victimAge: 14 })
        .expect(200);
      expect(partial.body).toEqual({
        outcome: 'incomplete',
        findings: [],
        currentVersion: null,
        missing: [
          'crimeReference',
          'status',
          'reportedAt',
          'recordedAt',
          'offenceFrom',
          'onlineFlag',
          'victimSex',
        ],
      });
      expect(await counts()).toEqual(before);
    });

    it('checks an amendment against the stored record, logging only a consultation', async () => {
      const crime = await record({ forceId: 'cheshire' }, cheshireReg);
      const before = await counts();
      const res = await http()
        .post(`/crimes/${crime.id}/validate`)
        .set(cheshireReg)
        .send({ victimAge: 16 })
        .expect(200);
      expect(res.body).toMatchObject({ outcome: 'refused', currentVersion: 1, missing: [] });
      expect(res.body.findings.map((f: { code: string }) => f.code)).toEqual(['CF-AGE-002']);
      const after = await counts();
      expect(after).toEqual({ ...before, log: before.log + 1 });
      const stored = await http().get(`/crimes/${crime.id}`).set(cheshireReg).expect(200);
      expect(stored.body).toMatchObject({ victimAge: 14, version: 1 });
      const reclass = await http()
        .post(`/crimes/${crime.id}/validate`)
        .set(cheshireReg)
        .send({ offenceCode: '19C' })
        .expect(400);
      expect(reclass.body.details.hints).toEqual([
        'an offence code changes through POST /crimes/:id/reclassify, with a reason (HOCR Section B)',
      ]);
      await http()
        .post(`/crimes/${crime.id}/validate`)
        .set(durhamReg)
        .send({ victimAge: 15 })
        .expect(404);
      await http()
        .post('/crimes/validate')
        .set(durhamReg)
        .send({ forceId: 'cheshire' })
        .expect(403);
    });

    it('gives the same finding shape in a 422, and hints for a missing version and a code change on PATCH', async () => {
      const refused = await http()
        .post('/crimes')
        .set(cheshireReg)
        .send(crimeBody({ forceId: 'cheshire', offenceCode: '19D', victimAge: 12 }))
        .expect(422);
      expect(refused.body.details.violations).toEqual([
        expect.objectContaining({
          code: 'CF-AGE-005',
          fields: ['offenceCode', 'victimAge'],
          hint: 'to save anyway, send "CF-AGE-005" in acknowledge',
        }),
      ]);
      const crime = await record({ forceId: 'cheshire' }, cheshireReg);
      const noVersion = await http()
        .patch(`/crimes/${crime.id}`)
        .set(cheshireReg)
        .send({ reason: 'typo', victimAge: 15 })
        .expect(400);
      expect(noVersion.body.details.hints).toEqual([
        'version is required: send the version you last read (GET /crimes/:id answers it); a stale version answers 409',
      ]);
      const code = await http()
        .patch(`/crimes/${crime.id}`)
        .set(cheshireReg)
        .send({ version: 1, reason: 'wrong code', offenceCode: '19C' })
        .expect(400);
      expect(code.body.details.hints).toEqual([
        'an offence code changes through POST /crimes/:id/reclassify, with a reason (HOCR Section B)',
      ]);
    });
  });

  describe('resolving many drafts at once', () => {
    const draft = (as: Headers, force = 'durham') =>
      record({ forceId: force, status: 'draft', onlineFlag: 'unknown', onlineMethod: null }, as);
    const history = async (id: string) =>
      (
        await db.query<{ version: number; action: string }>(
          `SELECT version, action FROM crime_history WHERE crime_id = $1 ORDER BY version`,
          [id],
        )
      ).rows;

    it('amends and confirms every draft in one transaction, each with its own history', async () => {
      const [a, b] = [await draft(durhamReg), await draft(durhamReg)];
      const res = await http()
        .post('/crimes/bulk')
        .set(durhamFcr)
        .send({
          items: [
            {
              id: a.id,
              version: 1,
              onlineFlag: 'yes',
              onlineMethod: 'grooming in an online game chat',
              reason: 'officer confirmed online contact',
              confirm: true,
            },
            { id: b.id, version: 1, onlineFlag: 'no', reason: 'met in person only', confirm: true },
          ],
        })
        .expect(200);
      expect(res.body).toMatchObject({ mode: 'all_or_nothing', done: 2, failed: 0 });
      expect(
        res.body.results.map(
          (r: {
            id: string;
            outcome: string;
            crime: { status: string; version: number; onlineFlag: string };
          }) => [r.id, r.outcome, r.crime.status, r.crime.version, r.crime.onlineFlag],
        ),
      ).toEqual([
        [a.id, 'done', 'confirmed', 3, 'yes'],
        [b.id, 'done', 'confirmed', 3, 'no'],
      ]);
      expect(await history(a.id)).toEqual([
        { version: 1, action: 'created' },
        { version: 2, action: 'amended' },
        { version: 3, action: 'confirmed' },
      ]);
      const log = await db.query(
        `SELECT count(*)::int AS n FROM access_log WHERE user_id = $1 AND action = 'alteration' AND route = 'POST /crimes/bulk'`,
        [userOf(durhamFcr)],
      );
      expect(log.rows[0].n).toBe(4);
    });

    it('all_or_nothing: one refused item rolls back every item and reports each outcome', async () => {
      const [a, b] = [await draft(durhamReg), await draft(durhamReg)];
      const before = await counts();
      const res = await http()
        .post('/crimes/bulk')
        .set(durhamFcr)
        .send({
          items: [
            {
              id: a.id,
              version: 1,
              onlineFlag: 'yes',
              onlineMethod: 'messages on social media',
              reason: 'confirmed',
              confirm: true,
            },
            { id: b.id, version: 1, confirm: true }, // flag still unknown: CF-FLAG-001 refuses confirmation
          ],
        })
        .expect(422);
      expect(res.body.code).toBe('RULE_VIOLATION');
      expect(
        res.body.details.results.map((r: { id: string; outcome: string }) => [r.id, r.outcome]),
      ).toEqual([
        [a.id, 'rolled_back'],
        [b.id, 'failed'],
      ]);
      expect(res.body.details.results[1].error.details.ruleCodes).toEqual(['CF-FLAG-001']);
      expect(await counts()).toEqual(before);
      expect(await history(a.id)).toEqual([{ version: 1, action: 'created' }]);
    });

    it('per_item: saves the good items and reports the others (stale version, other force)', async () => {
      const [a, b] = [await draft(durhamReg), await draft(durhamReg)];
      const other = await draft(cheshireReg, 'cheshire');
      const res = await http()
        .post('/crimes/bulk')
        .set(durhamFcr)
        .send({
          mode: 'per_item',
          items: [
            { id: a.id, version: 1, onlineFlag: 'no', reason: 'in person', confirm: true },
            { id: b.id, version: 7, onlineFlag: 'no', reason: 'in person', confirm: true },
            { id: other.id, version: 1, onlineFlag: 'no', reason: 'in person' },
          ],
        })
        .expect(200);
      expect(res.body).toMatchObject({ mode: 'per_item', done: 1, failed: 2 });
      expect(
        res.body.results.map((r: { outcome: string; error?: { code: string } }) => [
          r.outcome,
          r.error?.code,
        ]),
      ).toEqual([
        ['done', undefined],
        ['failed', 'VERSION_CONFLICT'],
        ['failed', 'NOT_FOUND'],
      ]);
      expect(await history(b.id)).toEqual([{ version: 1, action: 'created' }]);
      expect(await history(other.id)).toEqual([{ version: 1, action: 'created' }]);
    });

    it('is for force crime registrars, and refuses malformed requests with 400', async () => {
      const a = await draft(durhamReg);
      await http()
        .post('/crimes/bulk')
        .set(durhamReg)
        .send({ items: [{ id: a.id, version: 1, confirm: true }] })
        .expect(403);
      await http().post('/crimes/bulk').set(durhamFcr).send({ items: [] }).expect(400);
      await http()
        .post('/crimes/bulk')
        .set(durhamFcr)
        .send({ items: [{ id: a.id, version: 1 }] })
        .expect(400);
      await http()
        .post('/crimes/bulk')
        .set(durhamFcr)
        .send({ items: [{ id: a.id, version: 1, onlineFlag: 'no' }] })
        .expect(400);
      await http()
        .post('/crimes/bulk')
        .set(durhamFcr)
        .send({
          items: [
            { id: a.id, version: 1, confirm: true },
            { id: a.id, version: 1, confirm: true },
          ],
        })
        .expect(400);
    });
  });

  describe('lists', () => {
    const csv = (ref: string, force: string) =>
      'crime_reference,force_id,offence_code,reported_at,recorded_at,offence_from,offence_to,online_flag,online_method,victim_age,victim_sex,status\r\n' +
      `${ref},${force},35,2019-07-01T10:00:00Z,2019-07-01T11:00:00Z,2019-06-30,,Y,email demand,50,male,confirmed\r\n`;
    const upload = (as: Headers, body: string, mode = 'accept_valid') =>
      http()
        .post('/imports')
        .query({ mode })
        .set(as)
        .set('content-type', 'text/csv')
        .send(body)
        .expect(201);

    it('GET /imports: mine newest first; a force registrar sees imports into their forces whoever ran them', async () => {
      const first = await upload(cheshireFcr, csv(`IL-${tag}-1`, 'cheshire'));
      const second = await upload(cheshireFcr, csv(`IL-${tag}-2`, 'cheshire'), 'dry_run');
      const durham = await upload(durhamReg, csv(`IL-${tag}-3`, 'durham'));
      // The database is shared with files that import into Cheshire too: this user's own imports, in order.
      const mine = await http().get('/imports').query({ limit: 500 }).set(cheshireFcr).expect(200);
      const own = mine.body.items.filter(
        (j: { createdBy: string }) => j.createdBy === userOf(cheshireFcr),
      );
      expect(own.map((j: { id: string }) => j.id)).toEqual([second.body.id, first.body.id]);
      expect(own[1]).toMatchObject({
        state: 'completed',
        mode: 'accept_valid',
        counts: { read: 1, accepted: 1, inserted: 1, rejected: 0 },
      });
      expect(mine.body.items.map((j: { id: string }) => j.id)).not.toContain(durham.body.id);
      const colleague = await http().get('/imports').set(cheshireReg).expect(200);
      const seen = colleague.body.items.map((j: { id: string }) => j.id);
      expect(seen).toEqual(expect.arrayContaining([first.body.id, second.body.id]));
      expect(seen).not.toContain(durham.body.id);
      // Keyset pages of one walk the same list, in the same order, with nothing skipped or repeated.
      const walked: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await http()
          .get('/imports')
          .query({ limit: 1, ...(cursor ? { cursor } : {}) })
          .set(cheshireFcr)
          .expect(200);
        walked.push(...page.body.items.map((j: { id: string }) => j.id));
        cursor = page.body.nextCursor ?? undefined;
      } while (cursor && walked.length < 500);
      expect(walked).toEqual(mine.body.items.map((j: { id: string }) => j.id));
      // Other files import into Durham too (the database is shared): this file's own imports are checked by id.
      const completed = await http()
        .get('/imports')
        .query({ state: 'completed', limit: 500 })
        .set(durhamReg)
        .expect(200);
      const completedIds = completed.body.items.map((j: { id: string }) => j.id);
      expect(completedIds).toContain(durham.body.id);
      expect(completedIds).not.toContain(first.body.id);
      expect(completed.body.items.every((j: { state: string }) => j.state === 'completed')).toBe(
        true,
      );
      await http().get('/imports').set(statistician).expect(403);
      await http().get('/imports').query({ cursor: 'nonsense' }).set(cheshireFcr).expect(400);
    });

    it("GET /audits: the audits of the auditor's forces with status and progress", async () => {
      await record(
        {
          forceId: 'cheshire',
          crimeReference: `AU-${tag}-1`,
          recordedAt: '2019-08-01T12:00:00Z',
          reportedAt: '2019-08-01T10:00:00Z',
          offenceFrom: '2019-07-20T18:00:00Z',
          offenceTo: null,
        },
        cheshireReg,
      );
      const created = await http()
        .post('/audits')
        .set(cheshireAuditor)
        .send({
          force: 'cheshire',
          from: '2019-08-01',
          to: '2019-08-01',
          offenceGroups: ['sexual offences'],
          sampleSize: 1,
          seed: tag,
        })
        .expect(201);
      const list = await http().get('/audits').set(cheshireAuditor).expect(200);
      const line = list.body.find((a: { id: string }) => a.id === created.body.id);
      expect(line).toMatchObject({
        forceId: 'cheshire',
        status: 'open',
        createdBy: userOf(cheshireAuditor),
        progress: { withVerdict: 0 },
      });
      expect(line.sample).toBeUndefined();
      expect(list.body.every((a: { forceId: string }) => a.forceId === 'cheshire')).toBe(true);
      const national = await http()
        .get('/audits')
        .query({ mine: 'true' })
        .set(nationalAuditor)
        .expect(200);
      expect(national.body).toEqual([]);
      const theirs = await http()
        .get('/audits')
        .query({ status: 'open' })
        .set(nationalAuditor)
        .expect(200);
      expect(theirs.body.map((a: { id: string }) => a.id)).toContain(created.body.id);
      await http().get('/audits').set(cheshireReg).expect(403);
    });

    it('GET /auth/me: who I am, my roles, forces and when my session ends', async () => {
      const res = await http().get('/auth/me').set(bothReg).expect(200);
      expect(res.body).toMatchObject({
        username: userOf(bothReg),
        roles: ['registrar'],
        forces: ['cheshire', 'durham'],
      });
      const access = Date.parse(res.body.session.accessTokenExpiresAt);
      const refresh = Date.parse(res.body.session.refreshExpiresAt);
      expect(access).toBeGreaterThan(Date.now());
      expect(access).toBeLessThanOrEqual(Date.now() + 900_000 + 1000);
      expect(refresh).toBeGreaterThan(access);
      expect((await http().get('/auth/me').set(nationalAuditor).expect(200)).body.forces).toBe(
        'all',
      );
      await http().get('/auth/me').expect(401);
    });
  });

  it('lets a registrar record a confirmed crime but only a force crime registrar confirm a draft (README: who confirms)', async () => {
    const confirmed = await record({ forceId: 'cheshire' }, cheshireReg);
    expect(confirmed.status).toBe('confirmed');
    const draft = await record({ forceId: 'cheshire', status: 'draft' }, cheshireReg);
    await http()
      .post(`/crimes/${draft.id}/confirm`)
      .set(cheshireReg)
      .send({ version: 1 })
      .expect(403);
    await http()
      .post(`/crimes/${draft.id}/confirm`)
      .set(cheshireFcr)
      .send({ version: 1 })
      .expect(200);
  });
});
