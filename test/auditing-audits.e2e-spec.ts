import type { INestApplication } from '@nestjs/common';
import pg from 'pg';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { createTestApp, testDatabaseUrl } from './support/create-test-app.js';
import { crimeBody } from './factories/crime.factory.js';
import { loginAs, personas, userOf, type Headers, type Personas } from './factories/identity.js';

// HMICFRS-style sample audits over HTTP. Data: south-wales records of 2022-23:
// 160 blackmail records (theft offences) and 40 harassment records (violence against the person).
const THEFT = 'theft offences';
const VAP = 'violence against the person';
interface Sampled {
  crimeId: string;
  stratum: string;
  drawOrder: number;
  offenceCode: string;
  verdict: unknown;
}
interface Audit {
  id: string;
  seed: string;
  status: string;
  populationSize: number;
  sampleSize: number;
  strata: { stratum: string; populationSize: number; sampleSize: number }[];
  sample: Sampled[];
  progress: { sampled: number; withVerdict: number; pending: number };
  results: { flag: Measure; classification: Measure };
}
interface Interval {
  estimate: number;
  lower: number;
  upper: number;
}
interface Measure {
  strata: {
    stratum: string;
    decided: number;
    correct: number;
    incorrect: number;
    cannotTell: number;
    pending: number;
    accuracy: Interval | null;
  }[];
  overall: Interval | null;
  estimatedWrong: Interval | null;
}

describe('auditor workspace: sample audits', () => {
  let app: INestApplication<App>;
  let who: Personas;
  let auditor: Headers, registrar: Headers;
  const http = () => request(app.getHttpServer());
  const base = { force: 'south-wales', year: '2022-23', offenceGroups: [THEFT, VAP] };
  const create = async (body: Record<string, unknown>, as = auditor): Promise<Audit> =>
    (await http().post('/audits').set(as).send(body).expect(201)).body;
  const verdict = (audit: string, crime: string, flag: string, classification = 'correct') =>
    http().put(`/audits/${audit}/verdicts/${crime}`).set(auditor).send({ flag, classification });

  beforeAll(async () => {
    app = await createTestApp();
    who = await personas(app);
    auditor = await loginAs(app, ['auditor'], ['south-wales'], 'auditor-south-wales');
    registrar = await loginAs(app, ['registrar'], ['south-wales'], 'reg-south-wales');
    const dates = {
      reportedAt: '2022-06-01T10:00:00Z',
      recordedAt: '2022-06-01T12:00:00Z',
      offenceFrom: '2022-05-20T10:00:00Z',
      offenceTo: null,
    };
    const post = (body: Record<string, unknown>) =>
      http()
        .post('/crimes')
        .set(registrar)
        .send(
          crimeBody({ forceId: 'south-wales', ...dates, suspectAge: null, victimAge: 30, ...body }),
        )
        .expect(201);
    for (let i = 0; i < 160; i++)
      await post({ offenceCode: '35', onlineMethod: 'threats sent by email' });
    for (let i = 0; i < 40; i++)
      await post({ offenceCode: '8L', onlineMethod: 'messages on a social media app' });
  });
  afterAll(async () => {
    await app.close();
  });

  it('lets only auditors of the force (or national auditors) create audits', async () => {
    await http()
      .post('/audits')
      .set(registrar)
      .send({ ...base, sampleSize: 10 })
      .expect(403);
    await http()
      .post('/audits')
      .set(who.statistician)
      .send({ ...base, sampleSize: 10 })
      .expect(403);
    await http()
      .post('/audits')
      .set(who.derbyshireAuditor)
      .send({ ...base, sampleSize: 10 })
      .expect(403);
    await http()
      .post('/audits')
      .set(auditor)
      .send({ ...base, sampleSize: 10, targetMargin: 0.05 })
      .expect(400);
    await http()
      .post('/audits')
      .set(auditor)
      .send({ ...base, offenceGroups: ['no such group'], sampleSize: 10 })
      .expect(400);
    await create({ ...base, sampleSize: 2, offenceGroups: [VAP] }, who.nationalAuditor);
  });

  it('draws a stratified sample reproducibly from a seed, respecting the strata sizes', async () => {
    const a = await create({ ...base, sampleSize: 20, seed: 'hmicfrs-2022' });
    expect(a).toMatchObject({
      seed: 'hmicfrs-2022',
      populationSize: 200,
      sampleSize: 20,
      status: 'open',
      progress: { sampled: 20, withVerdict: 0, pending: 20 },
    });
    expect(a.strata).toEqual([
      { stratum: THEFT, populationSize: 160, sampleSize: 16 },
      { stratum: VAP, populationSize: 40, sampleSize: 4 },
    ]);
    for (const s of a.strata)
      expect(a.sample.filter((x) => x.stratum === s.stratum)).toHaveLength(s.sampleSize);
    expect(
      a.sample.every((x) =>
        x.stratum === THEFT ? x.offenceCode === '35' : x.offenceCode === '8L',
      ),
    ).toBe(true);
    expect(new Set(a.sample.map((x) => x.crimeId)).size).toBe(20);

    const again = await create({ ...base, sampleSize: 20, seed: 'hmicfrs-2022' });
    expect(again.id).not.toBe(a.id);
    expect(again.sample.map((x) => [x.crimeId, x.drawOrder])).toEqual(
      a.sample.map((x) => [x.crimeId, x.drawOrder]),
    );
    const other = await create({ ...base, sampleSize: 20, seed: 'another-seed' });
    expect(other.sample.map((x) => x.crimeId)).not.toEqual(a.sample.map((x) => x.crimeId));
  });

  it('generates and stores a seed when none is given, and sizes the sample from a margin of error', async () => {
    const a = await create({ ...base, targetMargin: 0.1 });
    expect(a.seed).toMatch(/^[0-9a-f]{32}$/);
    // n0 = 1.96² × 0.25 / 0.1² = 96.04; with N = 200: 96.04 / (1 + 95.04 / 200) = 65.1 → 66; 52.8 + 13.2 → 53 + 13.
    expect(a.sampleSize).toBe(66);
    expect(a.strata.map((s) => s.sampleSize)).toEqual([53, 13]);
    const got: Audit = (await http().get(`/audits/${a.id}`).set(auditor).expect(200)).body;
    expect(got.seed).toBe(a.seed);
    expect(got.sample).toEqual(a.sample);
  });

  it("reports accuracy with Newcombe's worked Wilson interval (15/148 → 0.0624–0.1605), 'cannot tell' left out of n", async () => {
    const a = await create({
      ...base,
      offenceGroups: [THEFT],
      sampleSize: 150,
      seed: 'newcombe',
      finitePopulationCorrection: false,
    });
    expect(a.sample).toHaveLength(150);
    for (const [i, s] of a.sample.entries()) {
      await verdict(
        a.id,
        s.crimeId,
        i < 15 ? 'correct' : i < 148 ? 'incorrect' : 'cannot_tell',
      ).expect(200);
    }
    const got: Audit = (await http().get(`/audits/${a.id}`).set(auditor).expect(200)).body;
    expect(got.progress).toEqual({ sampled: 150, withVerdict: 150, pending: 0 });
    const flag = got.results.flag;
    expect(flag.strata[0]).toMatchObject({
      stratum: THEFT,
      decided: 148,
      correct: 15,
      incorrect: 133,
      cannotTell: 2,
      pending: 0,
    });
    expect(flag.strata[0].accuracy?.estimate).toBeCloseTo(15 / 148, 10);
    expect(flag.strata[0].accuracy?.lower).toBeCloseTo(0.0624, 4);
    expect(flag.strata[0].accuracy?.upper).toBeCloseTo(0.1605, 4);
    expect(flag.overall?.lower).toBeCloseTo(0.0624, 4);
    expect(flag.overall?.upper).toBeCloseTo(0.1605, 4);
    // Wrongly flagged crimes in the population of 160: 160 × 133/148, interval 160 × (1 − upper) .. 160 × (1 − lower).
    expect(flag.estimatedWrong?.estimate).toBeCloseTo((160 * 133) / 148, 6);
    expect(flag.estimatedWrong?.lower).toBeCloseTo(160 * (1 - 0.160487), 3);
    expect(got.results.classification.strata[0]).toMatchObject({ decided: 150, correct: 150 });
  });

  it('closes an audit for good: the API answers 409 and the database refuses the change', async () => {
    const a = await create({ ...base, offenceGroups: [VAP], sampleSize: 2, seed: 'closing' });
    const [first, second] = a.sample;
    await verdict(a.id, first.crimeId, 'correct').expect(200);
    const open = await http().post(`/audits/${a.id}/close`).set(auditor).expect(409);
    expect(open.body.details).toEqual({ pending: 1 });
    await verdict(a.id, second.crimeId, 'incorrect', 'cannot_tell').expect(200);
    const closed = await http().post(`/audits/${a.id}/close`).set(auditor).expect(200);
    expect(closed.body).toMatchObject({
      status: 'closed',
      closedBy: userOf(auditor),
      progress: { pending: 0 },
    });

    await verdict(a.id, first.crimeId, 'incorrect').expect(409);
    await http().post(`/audits/${a.id}/close`).set(auditor).expect(409);
    const db = new pg.Client({ connectionString: testDatabaseUrl() });
    await db.connect();
    try {
      await expect(
        db.query(`UPDATE audit_samples SET flag_verdict = 'incorrect' WHERE audit_id = $1`, [a.id]),
      ).rejects.toThrow(/is closed/);
      await expect(
        db.query(
          `UPDATE audits SET status = 'open', closed_at = NULL, closed_by = NULL WHERE id = $1`,
          [a.id],
        ),
      ).rejects.toThrow(/is closed/);
    } finally {
      await db.end();
    }
    const after: Audit = (await http().get(`/audits/${a.id}`).set(auditor).expect(200)).body;
    expect(after.sample.map((s) => (s.verdict as { flag: string }).flag)).toEqual([
      'correct',
      'incorrect',
    ]);
  });

  it('keeps audits to their force: 404 for other auditors, 404 for a record outside the sample', async () => {
    const a = await create({ ...base, offenceGroups: [VAP], sampleSize: 1, seed: 'scope' });
    await http().get(`/audits/${a.id}`).set(who.derbyshireAuditor).expect(404);
    await http()
      .put(`/audits/${a.id}/verdicts/${a.sample[0].crimeId}`)
      .set(who.derbyshireAuditor)
      .send({ flag: 'correct', classification: 'correct' })
      .expect(404);
    await http().get(`/audits/${a.id}`).set(registrar).expect(403);
    await http().get(`/audits/${a.id}`).set(who.nationalAuditor).expect(200);
    const outside = (
      await create({ ...base, offenceGroups: [THEFT], sampleSize: 1, seed: 'scope' })
    ).sample[0].crimeId;
    await verdict(a.id, outside, 'correct').expect(404);
    await http()
      .put(`/audits/${a.id}/verdicts/${a.sample[0].crimeId}`)
      .set(auditor)
      .send({ flag: 'right', classification: 'correct' })
      .expect(400);
  });

  it("logs the auditor's reads of sampled records with purpose 'audit'", async () => {
    const log: { action: string; route: string; purpose: string; recordIds: string[] }[] = (
      await http()
        .get('/access-log')
        .query({ user: userOf(auditor), limit: 1000 })
        .set(who.nationalAuditor)
        .expect(200)
    ).body;
    expect(log.every((e) => e.purpose === 'audit')).toBe(true);
    const views = log.filter((e) => e.route === 'GET /audits/:id');
    expect(views.length).toBeGreaterThan(0);
    expect(views.every((e) => e.recordIds.length > 0)).toBe(true);
    expect(
      log.some((e) => e.route === 'PUT /audits/:id/verdicts/:crimeId' && e.recordIds.length === 1),
    ).toBe(true);
  });
});
