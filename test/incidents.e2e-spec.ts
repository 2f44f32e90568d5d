import type { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { createTestApp } from './support/create-test-app.js';
import { crimeBody } from './factories/crime.factory.js';
import { loginAs, personas, userOf, type Headers, type Personas } from './factories/identity.js';

// Issue 20 §5 over HTTP: rape reports held as N100 (domain.md R21) and the principal-crime suggestion for several
// offences entered for one incident (CF-PRINCIPAL-001, HOCR Section F). North Yorkshire is used by no other spec; its
// crimes here are drafts of 2019-20, so no return or national figure counts them.
interface N100 {
  id: string;
  forceId: string;
  incidentReference: string;
  classification: string;
  reportedAt: string;
  reason: string;
  ageDays: number;
  crimeId: string | null;
  crimedBy: string | null;
  version: number;
  createdBy: string;
}

const FORCE = 'north-yorkshire';
const DAY = 86_400_000;

describe('issue 20 §5: N100 reports and the principal crime of an incident', () => {
  let app: INestApplication<App>;
  let who: Personas;
  let registrar: Headers, fcr: Headers;
  const http = () => request(app.getHttpServer());
  const ref = () => `NY/N100/${randomUUID().slice(0, 8)}`;
  const daysAgo = (d: number) => new Date(Date.now() - d * DAY - 3_600_000).toISOString();
  const hold = (as: Headers, body: Record<string, unknown>) =>
    http()
      .post('/reported-incidents')
      .set(as)
      .send({
        forceId: FORCE,
        incidentReference: ref(),
        reportedAt: daysAgo(3),
        reason: 'reported by a third party; the victim does not say a rape occurred',
        ...body,
      });
  const outstanding = async (as: Headers, q: Record<string, string> = {}): Promise<N100[]> =>
    (await http().get('/reported-incidents').query(q).set(as).expect(200)).body;
  const recordCrime = async (overrides: Record<string, unknown>): Promise<string> =>
    (
      await http()
        .post('/crimes')
        .set(registrar)
        .send(
          crimeBody({
            forceId: FORCE,
            offenceCode: '19C',
            reportedAt: '2019-06-01T10:00:00Z',
            recordedAt: '2019-06-01T12:00:00Z',
            offenceFrom: '2019-05-30T22:00:00Z',
            offenceTo: null,
            onlineFlag: 'no',
            onlineMethod: null,
            onlinePlatform: null,
            victimAge: 25,
            victimSex: 'female',
            status: 'draft',
            ...overrides,
          }),
        )
        .expect(201)
    ).body.id;

  beforeAll(async () => {
    app = await createTestApp();
    who = await personas(app);
    registrar = await loginAs(app, ['registrar'], [FORCE], 'reg-nyorks');
    fcr = await loginAs(app, ['force_crime_registrar'], [FORCE], 'fcr-nyorks');
  }, 180_000);
  afterAll(() => app?.close());

  it('holds a report as N100 with its reason, and lists it for the force crime registrar with its age', async () => {
    const old = await hold(registrar, { reportedAt: daysAgo(40) }).expect(201);
    const recent = await hold(registrar, { reportedAt: daysAgo(2) }).expect(201);
    expect(old.body).toMatchObject({
      forceId: FORCE,
      classification: 'N100',
      ageDays: 40,
      crimeId: null,
      version: 1,
      createdBy: userOf(registrar),
    });
    const list = await outstanding(fcr, { force: FORCE });
    const mine = list.filter((i) => [old.body.id, recent.body.id].includes(i.id));
    // Oldest first, each with whole days since the report.
    expect(mine.map((i) => [i.id, i.ageDays])).toEqual([
      [old.body.id, 40],
      [recent.body.id, 2],
    ]);
    expect(list.every((i) => i.forceId === FORCE && i.crimeId === null)).toBe(true);
  });

  it('refuses a malformed, duplicate, future or out-of-scope report', async () => {
    const reference = ref();
    await hold(registrar, { incidentReference: reference }).expect(201);
    await hold(registrar, { incidentReference: reference }).expect(409);
    await hold(registrar, { reason: '   ' }).expect(400);
    await hold(registrar, { reportedAt: '2019-06-01T10:00:00' }).expect(400); // no UTC offset
    await hold(registrar, { incidentReference: 'has spaces' }).expect(400);
    await hold(registrar, { reportedAt: new Date(Date.now() + 2 * DAY).toISOString() }).expect(400);
    await hold(registrar, { forceId: 'derbyshire' }).expect(403);
  });

  it("keeps the list to the caller's forces and to the force crime registrar and auditors", async () => {
    const held = await hold(registrar, {}).expect(201);
    await http().get('/reported-incidents').set(registrar).expect(403);
    await http().get('/reported-incidents').set(who.statistician).expect(403);
    await http()
      .get('/reported-incidents')
      .query({ force: FORCE })
      .set(who.derbyshireFcr)
      .expect(403);
    const theirs = await outstanding(who.derbyshireFcr);
    expect(theirs.some((i) => i.id === held.body.id)).toBe(false);
    const national = await outstanding(who.nationalAuditor, { force: FORCE });
    expect(national.some((i) => i.id === held.body.id)).toBe(true);
    await http().get('/reported-incidents').query({ state: 'open' }).set(fcr).expect(400);
  });

  it('links the rape crime recorded for it (R21): the link is kept and it leaves the outstanding list', async () => {
    const held: N100 = (await hold(registrar, { reportedAt: daysAgo(5) }).expect(201)).body;
    const other: N100 = (await hold(registrar, {}).expect(201)).body;
    const link = (id: string, body: Record<string, unknown>, as = fcr) =>
      http().post(`/reported-incidents/${id}/crime`).set(as).send(body);

    const harassment = await recordCrime({ offenceCode: '8L', victimSex: 'female' });
    await link(held.id, { version: 1, crimeId: harassment }).expect(400);
    const rape = await recordCrime({});
    await link(held.id, { version: 2, crimeId: rape }).expect(409); // stale version
    await link(held.id, { version: 1, crimeId: randomUUID() }).expect(404);
    await link(held.id, { version: 1, crimeId: rape }, who.derbyshireFcr).expect(404);
    const linked = await link(held.id, { version: 1, crimeId: rape }).expect(200);
    expect(linked.body).toMatchObject({
      id: held.id,
      crimeId: rape,
      crimedBy: userOf(fcr),
      version: 2,
    });
    await link(held.id, { version: 2, crimeId: rape }).expect(409); // already recorded
    await link(other.id, { version: 1, crimeId: rape }).expect(409); // the crime records another N100

    expect((await outstanding(fcr)).some((i) => i.id === held.id)).toBe(false);
    const all = await outstanding(fcr, { state: 'all' });
    expect(all.find((i) => i.id === held.id)).toMatchObject({ crimeId: rape, ageDays: 5 });
  });

  it('logs every access: the holding, the list (with the N100s shown) and the link', async () => {
    const held: N100 = (await hold(registrar, {}).expect(201)).body;
    await outstanding(fcr);
    const entries = async (as: Headers) =>
      (
        await http()
          .get('/access-log')
          .query({ user: userOf(as), limit: 1000 })
          .set(who.nationalAuditor)
          .expect(200)
      ).body as { action: string; route: string; recordIds: string[]; forceIds: string[] }[];
    const byRegistrar = await entries(registrar);
    expect(byRegistrar.find((e) => e.recordIds.includes(held.id))).toMatchObject({
      action: 'collection',
      route: 'POST /reported-incidents',
      forceIds: [FORCE],
    });
    const byFcr = await entries(fcr);
    const read = byFcr.find(
      (e) => e.route === 'GET /reported-incidents' && e.recordIds.includes(held.id),
    );
    expect(read).toMatchObject({ action: 'consultation', forceIds: [FORCE] });
    expect(byFcr.some((e) => e.route === 'POST /reported-incidents/:id/crime')).toBe(true);
  });

  describe('principal crime (CF-PRINCIPAL-001)', () => {
    const incident = `NY/INC/${randomUUID().slice(0, 8)}`;
    const body = (overrides: Record<string, unknown>) =>
      crimeBody({
        forceId: FORCE,
        reportedAt: '2019-07-01T10:00:00Z',
        recordedAt: '2019-07-01T12:00:00Z',
        offenceFrom: '2019-06-28T22:00:00Z',
        offenceTo: null,
        onlineFlag: 'yes',
        onlineMethod: 'messages on a social media app',
        victimAge: 25,
        victimSex: 'female',
        status: 'draft',
        incidentReference: incident,
        ...overrides,
      });
    interface Finding {
      code: string;
      severity: string;
      message: string;
      details: Record<string, unknown>;
    }
    const validate = async (overrides: Record<string, unknown>): Promise<Finding[]> =>
      (await http().post('/crimes/validate').set(registrar).send(body(overrides)).expect(200)).body
        .findings;
    const principal = (findings: Finding[]) => findings.find((f) => f.code === 'CF-PRINCIPAL-001');
    let harassmentId: string;

    beforeAll(async () => {
      const first = await http()
        .post('/crimes')
        .set(registrar)
        .send(body({ offenceCode: '8L' }))
        .expect(201);
      harassmentId = first.body.id;
      expect(first.body.incidentReference).toBe(incident);
      // Alone in its incident: nothing to suggest.
      expect(first.body.ruleWarnings).not.toContain('CF-PRINCIPAL-001');
    });

    it('suggests the most serious offence when another offence is entered for the same incident', async () => {
      const rape = principal(
        await validate({ offenceCode: '19C', onlineFlag: 'no', onlineMethod: null }),
      );
      expect(rape).toMatchObject({
        severity: 'warn',
        details: { incidentReference: incident, principal: '19C', thisRecordIsPrincipal: true },
      });
      expect(rape!.message).toContain('19C (maximum life');
      const malicious = await http()
        .post('/crimes')
        .set(registrar)
        .send(body({ offenceCode: '8R' }))
        .expect(201);
      expect(malicious.body.ruleWarnings).toContain('CF-PRINCIPAL-001');
      // With 8L (6 months) and 8R (24 months, CJCA 2015 s.32) in the incident, a further 8L is not the principal.
      expect(principal(await validate({ offenceCode: '8L' }))?.details).toMatchObject({
        principal: '8R',
        thisRecordIsPrincipal: false,
      });
    });

    it('never guesses: a code with no seriousness data gets no suggestion', async () => {
      const f = principal(await validate({ offenceCode: '8Q' }));
      expect(f?.details).toMatchObject({ principal: null, unranked: ['8Q'] });
    });

    it('says nothing for a record with no incident reference or alone in its incident', async () => {
      expect(
        principal(await validate({ offenceCode: '19C', incidentReference: null })),
      ).toBeUndefined();
      expect(
        principal(
          await validate({
            offenceCode: '19C',
            incidentReference: `NY/INC/${randomUUID().slice(0, 8)}`,
          }),
        ),
      ).toBeUndefined();
      await http()
        .post('/crimes/validate')
        .set(registrar)
        .send(body({ incidentReference: 'has spaces' }))
        .expect(400);
    });

    it('logs the read of the incident’s other records', async () => {
      const log = (
        await http()
          .get('/access-log')
          .query({ user: userOf(registrar), record: harassmentId, limit: 1000 })
          .set(who.nationalAuditor)
          .expect(200)
      ).body as { action: string; route: string }[];
      expect(log.map((e) => `${e.action} ${e.route}`)).toEqual(
        expect.arrayContaining(['consultation POST /crimes/validate', 'consultation POST /crimes']),
      );
    });
  });
});
