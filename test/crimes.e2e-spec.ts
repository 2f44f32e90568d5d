import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import pg from 'pg';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { createTestApp, testDatabaseUrl } from './support/create-test-app.js';
import { CrimeQueryService } from '#libs/crimes';
import { crimeBody } from './factories/crime.factory.js';
import { loginAs, personas, userOf, type Headers, type Personas } from './factories/identity.js';

describe('crimes API', () => {
  let app: INestApplication<App>;
  let who: Personas;
  let derbyshireRegistrar: Headers,
    derbyshireFcr: Headers,
    lincolnshireRegistrar: Headers,
    nationalAuditor: Headers,
    statistician: Headers;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    app = await createTestApp();
    who = await personas(app);
    ({ derbyshireRegistrar, derbyshireFcr, lincolnshireRegistrar, nationalAuditor, statistician } =
      who);
  });
  afterAll(async () => {
    await app.close();
  });

  async function record(overrides: Record<string, unknown> = {}, as?: Headers) {
    const res = await http()
      .post('/crimes')
      .set(as ?? derbyshireRegistrar)
      .send(crimeBody(overrides));
    expect(res.status).toBe(201);
    return res.body as {
      id: string;
      version: number;
      crimeReference: string;
      forceId: string;
      recordedAt: string;
      [k: string]: unknown;
    };
  }

  describe('recording', () => {
    it('records a valid online child sexual offence and assigns the financial year', async () => {
      const crime = await record();
      expect(crime).toMatchObject({
        forceId: 'derbyshire',
        offenceCode: '71/17',
        onlineFlag: 'yes',
        victimAge: 14,
        status: 'confirmed',
        version: 1,
        financialYear: '2018-19',
        createdBy: userOf(derbyshireRegistrar),
      });
      expect(crime).not.toHaveProperty('victimName');
      const got = await http().get(`/crimes/${crime.id}`).set(derbyshireRegistrar).expect(200);
      expect(got.body.crimeReference).toBe(crime.crimeReference);
    });

    it('assigns 1 April 00:00 UK time to the new year and 31 March 23:59 to the old one', async () => {
      const late = await record({
        offenceCode: '8L',
        victimAge: 30,
        suspectAge: null,
        reportedAt: '2016-03-31T22:00:00Z',
        recordedAt: '2016-03-31T22:59:00Z',
        offenceFrom: '2016-03-30T10:00:00Z',
        offenceTo: null,
      });
      const early = await record({
        offenceCode: '8L',
        victimAge: 30,
        suspectAge: null,
        reportedAt: '2016-03-31T22:00:00Z',
        recordedAt: '2016-03-31T23:00:00Z',
        offenceFrom: '2016-03-30T10:00:00Z',
        offenceTo: null,
      });
      expect(late.financialYear).toBe('2015-16');
      expect(early.financialYear).toBe('2016-17');
    });

    it.each([
      ['an unknown field', { victimName: 'someone' }],
      ['a missing online flag', { onlineFlag: undefined }],
      ['an online flag outside yes/no/unknown', { onlineFlag: 'maybe' }],
      ['a timestamp without offset', { recordedAt: '2018-05-01T12:00:00' }],
      ['an impossible date', { reportedAt: '2018-02-30T10:00:00Z' }],
      ['a victim age of 200', { victimAge: 200 }],
      ['a fractional victim age', { victimAge: 13.5 }],
      ['an unknown hate strand', { hateStrands: ['football'] }],
      ['a string for a boolean flag', { domesticAbuse: 'false' }],
    ])('rejects %s with 400', async (_, overrides) => {
      const res = await http()
        .post('/crimes')
        .set(derbyshireRegistrar)
        .send(crimeBody(overrides))
        .expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, code: 'BAD_REQUEST' });
    });

    it('rejects malformed JSON with 400, not 500', async () => {
      await http()
        .post('/crimes')
        .set(derbyshireRegistrar)
        .set('content-type', 'application/json')
        .send('{"forceId": ')
        .expect(400);
    });

    it('refuses a rule violation with 422 and the rule codes, writing nothing', async () => {
      const body = crimeBody({ offenceCode: '19E', victimAge: 14, suspectAge: null });
      const res = await http().post('/crimes').set(derbyshireRegistrar).send(body).expect(422);
      expect(res.body.code).toBe('RULE_VIOLATION');
      expect(res.body.details.ruleCodes).toContain('CF-AGE-001');
      const list = await http()
        .get('/crimes')
        .query({ offence: '19E', limit: 500 })
        .set(derbyshireRegistrar)
        .expect(200);
      expect(
        list.body.items.map((c: { crimeReference: string }) => c.crimeReference),
      ).not.toContain(body.crimeReference);
    });

    it("allows 'unknown' online flag only on a draft", async () => {
      const draft = await record({ onlineFlag: 'unknown', status: 'draft' });
      expect(draft.status).toBe('draft');
      const res = await http()
        .post('/crimes')
        .set(derbyshireRegistrar)
        .send(crimeBody({ onlineFlag: 'unknown' }))
        .expect(422);
      expect(res.body.details.ruleCodes).toContain('CF-FLAG-001');
    });

    it("saves a 'confirm' rule only when the registrar acknowledges its code", async () => {
      const body = crimeBody({ offenceCode: '19D', victimAge: 12, suspectAge: null });
      const refused = await http().post('/crimes').set(derbyshireRegistrar).send(body).expect(422);
      expect(refused.body.details.ruleCodes).toEqual(['CF-AGE-005']);
      const saved = await http()
        .post('/crimes')
        .set(derbyshireRegistrar)
        .send({ ...body, acknowledge: ['CF-AGE-005'] })
        .expect(201);
      expect(saved.body.acknowledgedRules).toEqual(['CF-AGE-005']);
    });

    it('saves a warning with the record', async () => {
      const crime = await record({
        reportedAt: '2018-05-01T10:00:00Z',
        recordedAt: '2018-05-02T16:00:00Z',
      });
      expect(crime.ruleWarnings).toContain('CF-TIME-001');
    });

    it('refuses a duplicate crime reference in the same force with 409', async () => {
      const first = await record();
      const res = await http()
        .post('/crimes')
        .set(derbyshireRegistrar)
        .send(crimeBody({ crimeReference: first.crimeReference }))
        .expect(409);
      expect(res.body.code).toBe('DUPLICATE_REFERENCE');
    });

    it('allows the same crime reference in another force', async () => {
      const first = await record();
      await record(
        { forceId: 'lincolnshire', crimeReference: first.crimeReference },
        lincolnshireRegistrar,
      );
    });
  });

  describe('amending and reclassifying', () => {
    it('amends with a reason and keeps old -> new in history', async () => {
      const crime = await record({ victimAge: 14 });
      const res = await http()
        .patch(`/crimes/${crime.id}`)
        .set(derbyshireRegistrar)
        .send({ version: 1, reason: 'age checked with school record', victimAge: 13 })
        .expect(200);
      expect(res.body).toMatchObject({ victimAge: 13, version: 2 });
      const history = await http()
        .get(`/crimes/${crime.id}/history`)
        .set(derbyshireRegistrar)
        .expect(200);
      expect(history.body.map((h: { action: string }) => h.action)).toEqual(['created', 'amended']);
      expect(history.body[1]).toMatchObject({
        version: 2,
        reason: 'age checked with school record',
        changedBy: userOf(derbyshireRegistrar),
        changes: { victimAge: { old: 14, new: 13 } },
      });
    });

    it('refuses a stale version with 409 and changes nothing', async () => {
      const crime = await record();
      await http()
        .patch(`/crimes/${crime.id}`)
        .set(derbyshireRegistrar)
        .send({ version: 1, reason: 'first', victimAge: 15 })
        .expect(200);
      const res = await http()
        .patch(`/crimes/${crime.id}`)
        .set(derbyshireRegistrar)
        .send({ version: 1, reason: 'second', victimAge: 13 })
        .expect(409);
      expect(res.body.code).toBe('VERSION_CONFLICT');
      const got = await http().get(`/crimes/${crime.id}`).set(derbyshireRegistrar).expect(200);
      expect(got.body).toMatchObject({ victimAge: 15, version: 2 });
    });

    it('lets exactly one of two concurrent amendments win', async () => {
      const crime = await record();
      const results = await Promise.all(
        [13, 15].map((age) =>
          http()
            .patch(`/crimes/${crime.id}`)
            .set(derbyshireRegistrar)
            .send({ version: 1, reason: 'race', victimAge: age }),
        ),
      );
      expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    });

    it('re-runs the rules on amendment (422, record unchanged)', async () => {
      const crime = await record();
      const res = await http()
        .patch(`/crimes/${crime.id}`)
        .set(derbyshireRegistrar)
        .send({ version: 1, reason: 'typo', victimAge: 17 })
        .expect(422);
      expect(res.body.details.ruleCodes).toContain('CF-AGE-002');
      const got = await http().get(`/crimes/${crime.id}`).set(derbyshireRegistrar).expect(200);
      expect(got.body.version).toBe(1);
    });

    it('reclassifies with a reason, re-running the rules against the new code', async () => {
      const crime = await record({ offenceCode: '88A', victimAge: 12, suspectAge: 40 });
      const bad = await http()
        .post(`/crimes/${crime.id}/reclassify`)
        .set(derbyshireRegistrar)
        .send({ version: 1, offenceCode: '19C', reason: 'meeting took place' })
        .expect(422);
      expect(bad.body.details.ruleCodes).toContain('CF-AGE-004');
      const ok = await http()
        .post(`/crimes/${crime.id}/reclassify`)
        .set(derbyshireRegistrar)
        .send({
          version: 1,
          offenceCode: '21',
          reason: 'sexual activity with the child took place',
        })
        .expect(200);
      expect(ok.body).toMatchObject({ offenceCode: '21', version: 2 });
      const history = await http()
        .get(`/crimes/${crime.id}/history`)
        .set(derbyshireRegistrar)
        .expect(200);
      expect(history.body[1]).toMatchObject({
        action: 'reclassified',
        reason: 'sexual activity with the child took place',
        changes: { offenceCode: { old: '88A', new: '21' } },
      });
    });

    it('refuses a reclassification to the same code', async () => {
      const crime = await record();
      const res = await http()
        .post(`/crimes/${crime.id}/reclassify`)
        .set(derbyshireRegistrar)
        .send({ version: 1, offenceCode: '71/17', reason: 'no change' })
        .expect(422);
      expect(res.body.details.ruleCodes).toContain('CF-RECLASS-001');
    });
  });

  describe('confirming, cancelling and transferring', () => {
    it('confirms a draft once the flag is known (force crime registrar only)', async () => {
      const draft = await record({ status: 'draft', onlineFlag: 'unknown' });
      await http()
        .post(`/crimes/${draft.id}/confirm`)
        .set(derbyshireRegistrar)
        .send({ version: 1 })
        .expect(403);
      const refused = await http()
        .post(`/crimes/${draft.id}/confirm`)
        .set(derbyshireFcr)
        .send({ version: 1 })
        .expect(422);
      expect(refused.body.details.ruleCodes).toContain('CF-FLAG-001');
      await http()
        .patch(`/crimes/${draft.id}`)
        .set(derbyshireRegistrar)
        .send({ version: 1, reason: 'officer confirmed chat app use', onlineFlag: 'yes' })
        .expect(200);
      const confirmed = await http()
        .post(`/crimes/${draft.id}/confirm`)
        .set(derbyshireFcr)
        .send({ version: 2 })
        .expect(200);
      expect(confirmed.body).toMatchObject({ status: 'confirmed', version: 3 });
    });

    it('refuses "victim does not support" as the sole cancellation reason', async () => {
      const crime = await record();
      const res = await http()
        .post(`/crimes/${crime.id}/cancel`)
        .set(derbyshireFcr)
        .send({ version: 1, category: 'C2', justification: 'Victim does not support.' })
        .expect(422);
      expect(res.body.details.ruleCodes).toContain('CF-CANCEL-003');
    });

    it('cancels with a category and additional verifiable information, recording who decided', async () => {
      const crime = await record();
      await http()
        .post(`/crimes/${crime.id}/cancel`)
        .set(derbyshireRegistrar)
        .send({
          version: 1,
          category: 'C3',
          justification: 'Duplicate of another record of the same incident',
        })
        .expect(403);
      const res = await http()
        .post(`/crimes/${crime.id}/cancel`)
        .set(derbyshireFcr)
        .send({
          version: 1,
          category: 'C3',
          justification: 'Duplicate of another record of the same incident, same victim and time',
        })
        .expect(200);
      expect(res.body).toMatchObject({
        status: 'cancelled',
        cancellationCategory: 'C3',
        cancelledBy: userOf(derbyshireFcr),
        version: 2,
      });
      const again = await http()
        .post(`/crimes/${crime.id}/cancel`)
        .set(derbyshireFcr)
        .send({
          version: 2,
          category: 'C3',
          justification: 'Duplicate of another record of the same incident, same victim and time',
        })
        .expect(409);
      expect(again.body.code).toBe('INVALID_TRANSITION');
      await http()
        .patch(`/crimes/${crime.id}`)
        .set(derbyshireRegistrar)
        .send({ version: 2, reason: 'late edit', victimAge: 13 })
        .expect(409);
    });

    it('transfers to another force', async () => {
      const crime = await record();
      const res = await http()
        .post(`/crimes/${crime.id}/transfer`)
        .set(derbyshireFcr)
        .send({
          version: 1,
          toForceId: 'nottinghamshire',
          justification: 'Offence committed in the Nottinghamshire force area',
        })
        .expect(200);
      expect(res.body).toMatchObject({
        status: 'transferred',
        transferredToForceId: 'nottinghamshire',
        cancellationCategory: 'C1',
      });
      // Its access-log entry names both forces, so that the receiving force's auditors see it too.
      const db = new pg.Client({ connectionString: testDatabaseUrl() });
      await db.connect();
      try {
        const { rows } = await db.query(
          `SELECT force_ids FROM access_log WHERE $1 = ANY(record_ids) AND action = 'alteration'`,
          [crime.id],
        );
        expect(rows).toEqual([{ force_ids: ['derbyshire', 'nottinghamshire'] }]);
      } finally {
        await db.end();
      }
    });
  });

  describe('listing', () => {
    it('filters and pages with a cursor, newest recorded first', async () => {
      const refs: string[] = [];
      for (let day = 1; day <= 5; day++) {
        const c = await record({
          offenceCode: '35',
          victimAge: 40,
          suspectAge: null,
          onlineMethod: 'email demand',
          reportedAt: `2019-06-0${day}T09:00:00Z`,
          recordedAt: `2019-06-0${day}T10:00:00Z`,
          offenceFrom: `2019-06-0${day}T08:00:00Z`,
          offenceTo: null,
        });
        refs.push(c.crimeReference);
      }
      const page1 = await http()
        .get('/crimes')
        .query({
          force: 'derbyshire',
          year: '2019-20',
          offence: '35',
          flag: 'yes',
          status: 'confirmed',
          limit: 3,
        })
        .set(derbyshireRegistrar)
        .expect(200);
      expect(page1.body.items.map((c: { crimeReference: string }) => c.crimeReference)).toEqual([
        refs[4],
        refs[3],
        refs[2],
      ]);
      const page2 = await http()
        .get('/crimes')
        .query({
          force: 'derbyshire',
          year: '2019-20',
          offence: '35',
          limit: 3,
          cursor: page1.body.nextCursor,
        })
        .set(derbyshireRegistrar)
        .expect(200);
      expect(page2.body.items.map((c: { crimeReference: string }) => c.crimeReference)).toEqual([
        refs[1],
        refs[0],
      ]);
      expect(page2.body.nextCursor).toBeNull();
    });

    // A reader of two forces gets both forces' records merged newest first, page by page (each force's page is read
    // from its own index range), and a year is its UK-time span: 1 April 00:30 BST is the new year, 31 March
    // 23:30 BST the old one.
    it('merges the pages of a two-force reader and keeps the year to UK time', async () => {
      const both = await loginAs(app, ['registrar'], ['derbyshire', 'lincolnshire'], 'reg-two');
      const prefix = `TWO${randomUUID().slice(0, 8)}-`;
      const at = [
        ['derbyshire', '2016-03-31T22:30:00Z'], // 23:30 BST on 31 March: 2015-16, not listed
        ['lincolnshire', '2016-03-31T23:30:00Z'], // 00:30 BST on 1 April: 2016-17
        ['derbyshire', '2016-05-02T10:00:00Z'],
        ['lincolnshire', '2016-06-03T10:00:00Z'],
        ['derbyshire', '2016-07-04T10:00:00Z'],
        ['lincolnshire', '2016-07-04T10:00:00Z'], // same time as the one before: the id orders them
        ['derbyshire', '2017-03-31T22:59:00Z'], // 23:59 BST on 31 March: still 2016-17
        ['lincolnshire', '2017-03-31T23:00:00Z'], // midnight BST: 2017-18, not listed
      ] as const;
      const made: { id: string; forceId: string; crimeReference: string; recordedAt: string }[] =
        [];
      for (const [i, [forceId, recordedAt]] of at.entries()) {
        const t = Date.parse(recordedAt);
        made.push(
          await record(
            {
              forceId,
              crimeReference: `${prefix}${i}`,
              offenceCode: '35',
              victimAge: 40,
              suspectAge: null,
              onlineMethod: 'email demand',
              offenceFrom: new Date(t - 7_200_000).toISOString(),
              offenceTo: null,
              reportedAt: new Date(t - 3_600_000).toISOString(),
              recordedAt,
            },
            both,
          ),
        );
      }
      const expected = made
        .slice(1, 7)
        .sort((a, b) =>
          a.recordedAt === b.recordedAt
            ? a.id < b.id
              ? 1
              : -1
            : Date.parse(b.recordedAt) - Date.parse(a.recordedAt),
        )
        .map((c) => c.crimeReference);
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const res = await http()
          .get('/crimes')
          .query({
            year: '2016-17',
            referencePrefix: prefix,
            limit: 2,
            ...(cursor ? { cursor } : {}),
          })
          .set(both)
          .expect(200);
        seen.push(...res.body.items.map((c: { crimeReference: string }) => c.crimeReference));
        cursor = res.body.nextCursor ?? undefined;
      } while (cursor);
      expect(seen).toEqual(expected);
      // One force of the two, and all forces for a national reader, give the same records in the same order.
      const one = await http()
        .get('/crimes')
        .query({ force: 'lincolnshire', year: '2016-17', referencePrefix: prefix })
        .set(both)
        .expect(200);
      expect(one.body.items.map((c: { crimeReference: string }) => c.crimeReference)).toEqual(
        expected.filter((r) => made.find((c) => c.crimeReference === r)!.forceId !== 'derbyshire'),
      );
      const all = await http()
        .get('/crimes')
        .query({ year: '2016-17', referencePrefix: prefix })
        .set(nationalAuditor)
        .expect(200);
      expect(all.body.items.map((c: { crimeReference: string }) => c.crimeReference)).toEqual(
        expected,
      );
    });

    // The home page's "your recent work": the caller's own records in its forces, last changed first (one force is
    // read from ix_crimes_force_updater in order; several are the user's rows of each, sorted).
    it("lists a user's recent work, last changed first, and nobody else's", async () => {
      const recentOf = (h: Headers, forces: string[]) =>
        app
          .get(CrimeQueryService)
          .recentWork(
            {
              actor: { userId: userOf(h), displayName: userOf(h), roles: ['registrar'], forces },
              requestId: null,
              route: 'GET /',
              purpose: null,
            },
            3,
          )
          .then((rows) => rows.map((c) => c.id));
      const me = await loginAs(app, ['registrar'], ['derbyshire', 'lincolnshire'], 'reg-recent');
      const [a, b, c, d] = [
        await record({}, me),
        await record({ forceId: 'lincolnshire' }, me),
        await record({}, me),
        await record({}, me),
      ];
      await record({}, derbyshireRegistrar); // someone else's, changed later
      await http()
        .patch(`/crimes/${a!.id}`)
        .set(me)
        .send({ version: 1, reason: 'age checked', victimAge: 13 })
        .expect(200);
      expect(await recentOf(me, ['derbyshire'])).toEqual([a!.id, d!.id, c!.id]);
      expect(await recentOf(me, ['derbyshire', 'lincolnshire'])).toEqual([a!.id, d!.id, c!.id]);
      expect(await recentOf(me, ['lincolnshire'])).toEqual([b!.id]);
    });

    it.each([
      [{ year: '2019-21' }],
      [{ limit: '0' }],
      [{ cursor: 'not-a-cursor' }],
      [{ flag: 'maybe' }],
    ])('rejects a bad query %o with 400', async (q) => {
      await http().get('/crimes').query(q).set(derbyshireRegistrar).expect(400);
    });
  });

  describe('force scoping', () => {
    it("never shows another force's record: read, history, amend, list and filters", async () => {
      const crime = await record();
      await http().get(`/crimes/${crime.id}`).set(lincolnshireRegistrar).expect(404);
      await http().get(`/crimes/${crime.id}/history`).set(lincolnshireRegistrar).expect(404);
      await http()
        .patch(`/crimes/${crime.id}`)
        .set(lincolnshireRegistrar)
        .send({ version: 1, reason: 'x', victimAge: 13 })
        .expect(404);
      await http()
        .post(`/crimes/${crime.id}/reclassify`)
        .set(lincolnshireRegistrar)
        .send({ version: 1, offenceCode: '88A', reason: 'x' })
        .expect(404);
      await http()
        .get('/crimes')
        .query({ force: 'derbyshire' })
        .set(lincolnshireRegistrar)
        .expect(403);
      const list = await http()
        .get('/crimes')
        .query({ limit: 500 })
        .set(lincolnshireRegistrar)
        .expect(200);
      expect(list.body.items.every((c: { forceId: string }) => c.forceId === 'lincolnshire')).toBe(
        true,
      );
      const filtered = await http()
        .get('/crimes')
        .query({ offence: '71/17', limit: 500 })
        .set(lincolnshireRegistrar)
        .expect(200);
      expect(filtered.body.items.map((c: { id: string }) => c.id)).not.toContain(crime.id);
    });

    it('refuses to record a crime for another force with 403', async () => {
      const res = await http()
        .post('/crimes')
        .set(lincolnshireRegistrar)
        .send(crimeBody({ forceId: 'derbyshire' }))
        .expect(403);
      expect(res.body.code).toBe('FORBIDDEN_SCOPE');
    });

    it('lets a national auditor read any force but not write', async () => {
      const crime = await record();
      await http().get(`/crimes/${crime.id}`).set(nationalAuditor).expect(200);
      await http().post('/crimes').set(nationalAuditor).send(crimeBody()).expect(403);
    });

    it('gives statisticians no record-level access', async () => {
      await http().get('/crimes').set(statistician).expect(403);
    });
  });

  describe('reference data and health', () => {
    it('serves the forces and offence catalogues', async () => {
      const forces = await http().get('/catalogue/forces').set(derbyshireRegistrar).expect(200);
      expect(forces.body).toHaveLength(44);
      const offences = await http().get('/catalogue/offences').set(derbyshireRegistrar).expect(200);
      expect(offences.body.find((o: { code: string }) => o.code === '71/17')).toMatchObject({
        validFrom: '2017-04-03',
        offenderAgeMin: 18,
      });
    });

    it('lists the rule catalogue', async () => {
      const rules = await http().get('/rules').set(derbyshireRegistrar).expect(200);
      const codes = rules.body.map((r: { code: string }) => r.code);
      expect(codes).toEqual(
        expect.arrayContaining(['CF-AGE-001', 'CF-FLAG-001', 'CF-CANCEL-003', 'CF-FORCE-001']),
      );
    });

    it('publishes the OpenAPI document', async () => {
      const res = await http().get('/api/docs-json').expect(200);
      expect(Object.keys(res.body.paths)).toEqual(
        expect.arrayContaining([
          '/crimes',
          '/crimes/{id}/history',
          '/catalogue/offences',
          '/rules',
        ]),
      );
    });

    it('answers /health without a token', async () => {
      const res = await http().get('/health').expect(200);
      expect(res.body.status).toBe('ok');
    });

    it('rejects a malformed id with 400 and an unknown one with 404', async () => {
      await http().get('/crimes/not-a-uuid').set(derbyshireRegistrar).expect(400);
      await http()
        .get('/crimes/00000000-0000-4000-8000-000000000000')
        .set(derbyshireRegistrar)
        .expect(404);
    });
  });
});
