import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { createTestApp } from './support/create-test-app.js';
import { personas, type Personas } from './factories/identity.js';

// The online flag started on 1 April 2015: every route of returns, national figures and auditing that takes a
// year refuses 2014-15 and earlier with 422 CF-YEAR-001 and the reason, instead of answering zeros. Each call
// is made by a caller the route allows, so the 422 is the year's, not a permission's.
type Who = keyof Personas;
const YEAR_BEFORE = '2014-15';
// Every row has all five entries: jest's it.each treats a callback with more parameters than the row as done-style.
const routes: [string, Who, 'get' | 'post', string, object | null][] = [
  ['GET /returns/{year}', 'statistician', 'get', `/returns/${YEAR_BEFORE}`, null],
  [
    'GET /returns/{force}/{year}',
    'derbyshireFcr',
    'get',
    `/returns/derbyshire/${YEAR_BEFORE}`,
    null,
  ],
  [
    'GET /returns/{force}/{year}?format=csv',
    'derbyshireRegistrar',
    'get',
    `/returns/derbyshire/${YEAR_BEFORE}?format=csv`,
    null,
  ],
  [
    'POST /returns/{force}/{year}/submit',
    'derbyshireFcr',
    'post',
    `/returns/derbyshire/${YEAR_BEFORE}/submit`,
    { version: 0 },
  ],
  [
    'POST /returns/{force}/{year}/accept',
    'statistician',
    'post',
    `/returns/derbyshire/${YEAR_BEFORE}/accept`,
    { version: 1 },
  ],
  [
    'POST /returns/{force}/{year}/return',
    'statistician',
    'post',
    `/returns/derbyshire/${YEAR_BEFORE}/return`,
    { version: 1, reason: 'x' },
  ],
  [
    'GET /returns/{force}/{year}/validation',
    'derbyshireAuditor',
    'get',
    `/returns/derbyshire/${YEAR_BEFORE}/validation`,
    null,
  ],
  [
    'GET /returns/{force}/{year}/revisions',
    'statistician',
    'get',
    `/returns/derbyshire/${YEAR_BEFORE}/revisions`,
    null,
  ],
  [
    'GET /returns/{force}/{year}/revisions/{rev}',
    'derbyshireFcr',
    'get',
    `/returns/derbyshire/${YEAR_BEFORE}/revisions/1`,
    null,
  ],
  [
    'GET /returns/{force}/{year}/revisions/{a}/diff/{b}',
    'nationalAuditor',
    'get',
    `/returns/derbyshire/${YEAR_BEFORE}/revisions/2/diff/1`,
    null,
  ],
  ['GET /national/{year}', 'statistician', 'get', `/national/${YEAR_BEFORE}`, null],
  [
    'GET /national/{year}?basis=live',
    'statistician',
    'get',
    `/national/${YEAR_BEFORE}?basis=live`,
    null,
  ],
  [
    'GET /national/{year}/compare/{otherYear} (year)',
    'statistician',
    'get',
    `/national/${YEAR_BEFORE}/compare/2016-17`,
    null,
  ],
  [
    'GET /national/{year}/compare/{otherYear} (otherYear)',
    'statistician',
    'get',
    `/national/2016-17/compare/${YEAR_BEFORE}`,
    null,
  ],
  [
    'POST /national/{year}/publications',
    'statistician',
    'post',
    `/national/${YEAR_BEFORE}/publications`,
    { title: 'x', disclosure: { method: 'threshold' } },
  ],
  [
    'POST /national/{year}/publications/preview',
    'statistician',
    'post',
    `/national/${YEAR_BEFORE}/publications/preview`,
    { title: 'x', disclosure: { method: 'threshold' } },
  ],
  [
    'GET /national/{year}/publications',
    'derbyshireRegistrar',
    'get',
    `/national/${YEAR_BEFORE}/publications`,
    null,
  ],
  [
    'GET /audit/completeness',
    'derbyshireAuditor',
    'get',
    `/audit/completeness?force=derbyshire&year=${YEAR_BEFORE}`,
    null,
  ],
  ['GET /audit/under-use', 'nationalAuditor', 'get', `/audit/under-use?year=${YEAR_BEFORE}`, null],
  [
    'POST /audit/review-queue/refresh',
    'derbyshireAuditor',
    'post',
    `/audit/review-queue/refresh?force=derbyshire&year=${YEAR_BEFORE}`,
    null,
  ],
  [
    'GET /audit/review-queue',
    'derbyshireFcr',
    'get',
    `/audit/review-queue?force=derbyshire&year=${YEAR_BEFORE}`,
    null,
  ],
  [
    'POST /audits',
    'derbyshireAuditor',
    'post',
    '/audits',
    { force: 'derbyshire', year: YEAR_BEFORE, offenceGroups: ['sexual offences'], sampleSize: 1 },
  ],
];

describe('years before the online flag (2014-15 and earlier)', () => {
  let app: INestApplication<App>;
  let who: Personas;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    app = await createTestApp();
    who = await personas(app);
  });
  afterAll(async () => {
    await app.close();
  });

  it.each(routes)(
    '%s answers 422 CF-YEAR-001 with the reason',
    async (_, as, method, path, body) => {
      const res = await (
        method === 'get'
          ? http().get(path)
          : http()
              .post(path)
              .send(body ?? undefined)
      )
        .set(who[as])
        .expect(422);
      expect(res.body).toMatchObject({
        code: 'RULE_VIOLATION',
        message:
          '2014-15 is before the online crime flag: forces have flagged crimes only since 1 April 2015, so there are no flag figures before 2015-16 (zeros would mean "not collected", not "none")',
        details: { ruleCodes: ['CF-YEAR-001'], year: '2014-15', firstYear: '2015-16' },
      });
    },
  );

  it('refuses an audit period that starts before 1 April 2015, and an older year the same way', async () => {
    const period = await http()
      .post('/audits')
      .set(who.derbyshireAuditor)
      .send({
        force: 'derbyshire',
        from: '2015-03-31',
        to: '2015-04-30',
        offenceGroups: ['sexual offences'],
        sampleSize: 1,
      })
      .expect(422);
    expect(period.body.details).toEqual({
      ruleCodes: ['CF-YEAR-001'],
      year: '2015-03-31..2015-04-30',
      firstYear: '2015-16',
    });
    const old = await http()
      .post('/returns/derbyshire/2002-03/submit')
      .set(who.derbyshireFcr)
      .send({ version: 0 })
      .expect(422);
    expect(old.body.details.year).toBe('2002-03');
  });

  it('serves 2015-16, the first year of the flag', async () => {
    await http().get('/national/2015-16').set(who.statistician).expect(200);
    await http().get('/national/2016-17/compare/2015-16').set(who.statistician).expect(200);
    await http()
      .get('/audit/under-use')
      .query({ year: '2015-16' })
      .set(who.nationalAuditor)
      .expect(200);
    expect(
      (
        await http().get('/returns/2015-16').set(who.derbyshireRegistrar).expect(200)
      ).body.forces.map((f: { forceId: string }) => f.forceId),
    ).toEqual(['derbyshire']);
    await http().get('/returns/derbyshire/2015-16/revisions').set(who.derbyshireFcr).expect(200);
  });
});
