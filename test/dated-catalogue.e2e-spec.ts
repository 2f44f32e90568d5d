import type { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { createTestApp } from './support/create-test-app.js';
import { loginAs } from './factories/identity.js';

// Issue 20: a year's records, import and return use the codes and the counting-rules edition of that year.
// Cleveland in 2015-16 and 2018-19 is this file's force-year.
const HEADER =
  'crime_reference,force_id,offence_code,reported_at,recorded_at,offence_from,offence_to,online_flag,online_method,victim_age,victim_sex,status';
const row = (
  ref: string,
  code: string,
  recordedAt: string,
  o: { flag?: string; method?: string; age?: string } = {},
) => {
  const reportedAt = new Date(Date.parse(recordedAt) - 3_600_000).toISOString();
  return [
    ref,
    'cleveland',
    code,
    reportedAt,
    recordedAt,
    '2015-08-01T20:00:00Z',
    '',
    o.flag ?? 'N',
    o.method ?? '',
    o.age ?? '45',
    'female',
    'confirmed',
  ].join(',');
};
const csv = (...rows: string[]) => [HEADER, ...rows].join('\r\n') + '\r\n';

interface TableARow {
  level: string;
  offenceCode: string | null;
  flagYes: number;
  flagNo: number;
  total: number;
}
interface Rejection {
  line: number;
  crimeReference: string;
  codes: string[];
  messages?: string[];
}

describe('dated offence catalogue (issue 20)', () => {
  let app: INestApplication<App>;
  let registrar: Record<string, string>;
  let fcr: Record<string, string>;
  const http = () => request(app.getHttpServer());
  const ref = () => `DATED-${randomUUID().slice(0, 12)}`;

  beforeAll(async () => {
    app = await createTestApp();
    registrar = await loginAs(app, ['registrar'], ['cleveland'], 'reg-cleveland');
    fcr = await loginAs(app, ['force_crime_registrar'], ['cleveland'], 'fcr-cleveland');
  });
  afterAll(async () => {
    await app.close();
  });

  it('loads a 2015-16 file with the dwelling burglary codes 28A-28D, and the 2015-16 return counts them', async () => {
    const rows = [
      row(ref(), '28A', '2015-09-01T10:00:00Z'),
      row(ref(), '28A', '2015-10-01T10:00:00Z'),
      row(ref(), '28B', '2015-11-01T10:00:00Z'),
      row(ref(), '28C', '2016-01-05T10:00:00Z', {
        flag: 'Y',
        method: 'victim contacted through a fake utility website first',
      }),
      row(ref(), '28D', '2016-03-31T21:00:00Z'), // 22:00 BST on 31 March 2016: still 2015-16
      row(ref(), '86/02', '2016-02-01T10:00:00Z', {
        flag: 'Y',
        method: 'images found on a laptop',
        age: '15',
      }), // the spelling forces use
    ];
    const res = await http()
      .post('/imports')
      .set(registrar)
      .set('content-type', 'text/csv')
      .send(csv(...rows))
      .expect(201);
    expect(res.body).toMatchObject({
      state: 'completed',
      counts: { read: 6, inserted: 6, rejected: 0 },
    });

    const view = (await http().get('/returns/cleveland/2015-16').set(fcr).expect(200)).body as {
      draft: { metadata: { countingRulesVersion: string }; tableA: { rows: TableARow[] } };
    };
    const byCode = new Map(
      view.draft.tableA.rows.filter((r) => r.level === 'offence').map((r) => [r.offenceCode, r]),
    );
    expect(
      ['28A', '28B', '28C', '28D'].map((c) => [c, byCode.get(c)?.total, byCode.get(c)?.flagYes]),
    ).toEqual([
      ['28A', 2, 0],
      ['28B', 1, 0],
      ['28C', 1, 1],
      ['28D', 1, 0],
    ]);
    expect(byCode.get('86/2')?.total).toBe(1);
    expect(byCode.has('86/02')).toBe(false);
    // The return states the edition of its own year, not today's.
    expect(view.draft.metadata.countingRulesVersion).toBe(
      'HOCR 2015-16 (with effect from April 2015); Cyberflag catalogue v2 (dated codes)',
    );
  });

  it('refuses the same codes on records made in 2018, naming the code and the year (validity follows the recorded date)', async () => {
    const [a, b] = [ref(), ref()];
    // A 2015 burglary recorded in 2018 is recorded under the codes of 2018 ("as if committed today").
    const res = await http()
      .post('/imports')
      .set(registrar)
      .set('content-type', 'text/csv')
      .send(csv(row(a, '28A', '2018-06-01T10:00:00Z'), row(b, '28E', '2018-06-01T10:00:00Z')))
      .expect(422);
    const job = res.body.details.import as { id: string };
    const report = (await http().get(`/imports/${job.id}`).set(registrar).expect(200)).body as {
      rejections: Rejection[];
    };
    expect(report.rejections.map((r) => [r.line, r.crimeReference, r.codes])).toEqual([
      [2, a, ['CF-CODE-002']],
    ]);
    const csvReport = await http()
      .get(`/imports/${job.id}/report`)
      .query({ format: 'csv' })
      .set(registrar)
      .expect(200);
    expect(csvReport.text).toContain(
      'Offence code 28A is not in force for records made in 2018-19 (2018-06-01): withdrawn after 2017-03-31; record under 28E',
    );
  });

  it('refuses 72 recorded in August 2015 in favour of 106 (Modern Slavery Act 2015, 31 July 2015)', async () => {
    const body = (code: string) => ({
      forceId: 'cleveland',
      crimeReference: ref(),
      offenceCode: code,
      reportedAt: '2015-08-10T09:00:00Z',
      recordedAt: '2015-08-10T10:00:00Z',
      offenceFrom: '2015-07-01T20:00:00Z',
      onlineFlag: 'no',
      victimAge: 19,
      victimSex: 'female',
      status: 'confirmed',
    });
    const refused = await http().post('/crimes').set(registrar).send(body('72')).expect(422);
    expect(refused.body.details.ruleCodes).toEqual(['CF-CODE-002']);
    expect(refused.body.details.violations[0].message).toBe(
      'Offence code 72 is not in force for records made in 2015-16 (2015-08-10): withdrawn after 2015-07-30; record under 106',
    );
    await http().post('/crimes').set(registrar).send(body('106')).expect(201);
  });

  it('transfers a crime to an investigating authority outside the 44 forces (Police Scotland)', async () => {
    const created = await http()
      .post('/crimes')
      .set(registrar)
      .send({
        forceId: 'cleveland',
        crimeReference: ref(),
        offenceCode: '8R',
        reportedAt: '2018-06-01T09:00:00Z',
        recordedAt: '2018-06-01T10:00:00Z',
        offenceFrom: '2018-05-30T20:00:00Z',
        onlineFlag: 'yes',
        onlineMethod: 'threatening messages on a social network',
        victimAge: 40,
        victimSex: 'male',
        status: 'confirmed',
      })
      .expect(201);
    const justification =
      'Sender and recipient both live in Glasgow; the offence was committed in Scotland.';
    await http()
      .post(`/crimes/${created.body.id}/transfer`)
      .set(fcr)
      .send({ version: created.body.version, toAuthorityId: 'atlantis-police', justification })
      .expect(422);
    await http()
      .post(`/crimes/${created.body.id}/transfer`)
      .set(fcr)
      .send({
        version: created.body.version,
        toForceId: 'durham',
        toAuthorityId: 'police-scotland',
        justification,
      })
      .expect(422);
    const moved = await http()
      .post(`/crimes/${created.body.id}/transfer`)
      .set(fcr)
      .send({ version: created.body.version, toAuthorityId: 'police-scotland', justification })
      .expect(200);
    expect(moved.body).toMatchObject({
      status: 'transferred',
      transferredToForceId: null,
      transferredToAuthorityId: 'police-scotland',
      cancellationCategory: 'C1',
    });
    const authorities = (await http().get('/catalogue/authorities').set(registrar).expect(200))
      .body as { id: string }[];
    expect(authorities.map((a) => a.id)).toContain('police-scotland');
  });
});
