import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { Catalogue } from '#libs/catalogue';
import { demoCsvLines, generateDemoCrimes } from '#libs/imports';
import { createTestApp } from './support/create-test-app.js';
import { loginAs, type Headers } from './factories/identity.js';

// Issue 13 §4: the demo data's returns pass the return rules once its deliberate drafts are resolved, which the
// bulk endpoint does in one request per force (README: "Resolving the demo's drafts"). 2023-24 is this file's year.
describe('demo data and the return rules', () => {
  let app: INestApplication<App>;
  let fcr: Headers;
  const http = () => request(app.getHttpServer());
  const YEAR = '2023-24';
  const forces = new Catalogue().forces().map((f) => f.id);

  interface Finding {
    code: string;
    recordCount: number;
    records: { crimeId: string }[];
  }
  const validation = async (force: string) =>
    (await http().get(`/returns/${force}/${YEAR}/validation`).set(fcr).expect(200)).body as {
      ok: boolean;
      findings: Finding[];
    };

  beforeAll(async () => {
    app = await createTestApp();
    fcr = await loginAs(app, ['force_crime_registrar'], forces, 'fcr-every-force');
    const csv = [
      ...demoCsvLines(generateDemoCrimes({ year: 2023, records: 3000, seed: 'demo-returns-spec' })),
    ].join('');
    const job = await http()
      .post('/imports')
      .query({ mode: 'accept_valid' })
      .set(fcr)
      .set('content-type', 'text/csv')
      .send(csv)
      .expect(201);
    expect(job.body).toMatchObject({
      state: 'completed',
      counts: { read: 3000, rejected: 0, inserted: 3000 },
    });
  }, 120_000);
  afterAll(async () => {
    await app.close();
  });

  it('blocks only on the deliberate unknown-flag drafts, and passes once they are resolved in bulk', async () => {
    let blockedForces = 0;
    for (const force of forces) {
      const before = await validation(force);
      expect(before.findings.map((f) => f.code).filter((c) => c !== 'CF-RET-002')).toEqual([]);
      const drafts = before.findings.find((f) => f.code === 'CF-RET-002');
      if (!drafts) continue;
      blockedForces++;
      expect(drafts.records).toHaveLength(drafts.recordCount);
      const versions = await Promise.all(
        drafts.records.map(
          async (r) =>
            (await http().get(`/crimes/${r.crimeId}`).set(fcr).expect(200)).body as {
              id: string;
              version: number;
            },
        ),
      );
      const resolved = await http()
        .post('/crimes/bulk')
        .set(fcr)
        .send({
          items: versions.map((c) => ({
            id: c.id,
            version: c.version,
            onlineFlag: 'no',
            reason: 'enquiries found no online element',
            confirm: true,
          })),
        })
        .expect(200);
      expect(resolved.body).toMatchObject({ done: versions.length, failed: 0 });
      expect(await validation(force)).toMatchObject({ ok: true, findings: [] });
    }
    // The demo makes about 2% of records unknown-flag drafts: some forces must have been blocked for this to test anything.
    expect(blockedForces).toBeGreaterThan(5);
  }, 300_000);
});
