import type { INestApplication } from '@nestjs/common';
import pg from 'pg';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { pgQueryable, type Queryable } from '#libs/persistence';
import { insertRecords } from '#libs/national/testing';
import { main as cli } from '../apps/api/src/cli/commands.js';
import { createTestApp, testAppDatabaseUrl, testDatabaseUrl } from './support/create-test-app.js';
import { loginAs, type Headers } from './factories/identity.js';

// The maintained aggregate (crime_figures) behind live returns: the live draft reads it, a submission is
// computed from the records and refused when the two differ, and the CLI verifies and rebuilds it.
// Dorset 2019-20 (records written as the owner), removed again afterwards: other files read 2019-20's
// national rates, and no other file uses Dorset in it.
const YEAR = 2019;
const LABEL = '2019-20';

describe('maintained figures and the signed return', () => {
  let app: INestApplication<App>;
  let pool: pg.Pool;
  let owner: Queryable;
  let fcr: Headers;
  let saved: string | undefined;
  let savedApp: string | undefined;
  const http = () => request(app.getHttpServer());
  const run = async (args: string[]) => {
    const lines: string[] = [];
    const code = await cli(args, (l) => lines.push(l));
    return { code, lines };
  };
  const corrupt = () =>
    owner.query(
      `UPDATE crime_figures SET n = n + 2
       WHERE id = (SELECT min(id) FROM crime_figures
                   WHERE force_id = 'dorset' AND financial_year = $1 AND status = 'confirmed'
                     AND online_flag = 'yes')`,
      [YEAR],
    );
  const flaggedYes = async () =>
    (
      (await http().get(`/returns/dorset/${LABEL}`).set(fcr).expect(200)).body as {
        draft: { tableA: { rows: { level: string; flagYes: number }[] } };
      }
    ).draft.tableA.rows.find((r) => r.level === 'total')?.flagYes;

  beforeAll(async () => {
    saved = process.env.DATABASE_URL;
    savedApp = process.env.DATABASE_APP_URL;
    process.env.DATABASE_URL = testDatabaseUrl();
    process.env.DATABASE_APP_URL = testAppDatabaseUrl();
    pool = new pg.Pool({ connectionString: testDatabaseUrl(), max: 2 });
    owner = pgQueryable(pool);
    app = await createTestApp();
    fcr = await loginAs(app, ['force_crime_registrar'], ['dorset'], 'fcr-dorset-figures');
    await insertRecords(owner, 'dorset', YEAR, [
      { code: '8L', flag: 'yes', age: 30, times: 3 },
      { code: '8L', flag: 'no', age: 41, times: 2 },
    ]);
  });
  afterAll(async () => {
    await owner.query(`DELETE FROM crimes WHERE force_id = 'dorset' AND financial_year = $1`, [
      YEAR,
    ]);
    process.env.DATABASE_URL = saved;
    process.env.DATABASE_APP_URL = savedApp;
    await app.close();
    await pool.end();
  });

  it('the live draft reads the aggregate; a submission refuses figures that differ from the records, and rebuild repairs them', async () => {
    expect(await flaggedYes()).toBe(3);
    expect((await run(['figures', 'verify', '--force', 'dorset', '--year', LABEL])).code).toBe(0);

    await corrupt();
    // The live view shows the aggregate (now wrong: this is what the check exists for).
    expect(await flaggedYes()).toBe(5);
    const verify = await run(['figures', 'verify', '--force', 'dorset', '--year', LABEL]);
    expect(verify.code).toBe(1);
    expect(verify.lines.join('\n')).toContain(`DIFFERS dorset ${LABEL}`);

    const refused = await http()
      .post(`/returns/dorset/${LABEL}/submit`)
      .set(fcr)
      .send({ version: 0 })
      .expect(422);
    expect(JSON.stringify(refused.body)).toContain('CF-RET-900');
    // Nothing was written: the return is still a draft with no revision.
    const head = await owner.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM return_revisions WHERE force_id = 'dorset' AND financial_year = $1`,
      [YEAR],
    );
    expect(head[0].n).toBe(0);

    const rebuilt = await run(['figures', 'rebuild', '--force', 'dorset', '--year', LABEL]);
    expect(rebuilt.code).toBe(0);
    expect(rebuilt.lines.join('\n')).toContain('figures verified');
    expect(await flaggedYes()).toBe(3);
    const submitted = await http()
      .post(`/returns/dorset/${LABEL}/submit`)
      .set(fcr)
      .send({ version: 0 });
    expect(submitted.status).toBe(200);
    expect((submitted.body as { state: string }).state).toBe('submitted');
  });
});
