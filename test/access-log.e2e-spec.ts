import type { INestApplication } from '@nestjs/common';
import pg from 'pg';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { main as cli } from '../apps/api/src/cli/commands.js';
import { createTestApp, testAppDatabaseUrl, testDatabaseUrl } from './support/create-test-app.js';
import { crimeBody } from './factories/crime.factory.js';
import { personas, userOf, type Personas } from './factories/identity.js';

interface Entry {
  seq: string;
  action: string;
  route: string;
  recordIds: string[];
  recordCount: number;
  forceIds: string[];
  query: Record<string, unknown> | null;
  purpose: string | null;
}

describe('access log (DPA 2018 s.62)', () => {
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

  const entriesOf = async (user: string, as = who.nationalAuditor): Promise<Entry[]> =>
    (await http().get('/access-log').query({ user, limit: 1000 }).set(as).expect(200)).body;

  it('logs collection, consultation (reads, history, list queries) and alteration, with purpose', async () => {
    const r = who.derbyshireRegistrar;
    const crime = (await http().post('/crimes').set(r).send(crimeBody()).expect(201)).body;
    await http()
      .get(`/crimes/${crime.id}`)
      .set(r)
      .set('x-access-purpose', 'investigation review')
      .expect(200);
    await http().get(`/crimes/${crime.id}/history`).set(r).expect(200);
    await http().get('/crimes').query({ offence: '71/17', flag: 'yes' }).set(r).expect(200);
    await http()
      .patch(`/crimes/${crime.id}`)
      .set(r)
      .send({ version: 1, reason: 'age corrected', victimAge: 13 })
      .expect(200);

    const log = await entriesOf(userOf(r));
    expect(log.map((e) => [e.action, e.route])).toEqual([
      ['collection', 'POST /crimes'],
      ['consultation', 'GET /crimes/:id'],
      ['consultation', 'GET /crimes/:id/history'],
      ['consultation', 'GET /crimes'],
      ['alteration', 'PATCH /crimes/:id'],
    ]);
    expect(log[1]).toMatchObject({
      recordIds: [crime.id],
      forceIds: ['derbyshire'],
      purpose: 'investigation review',
    });
    expect(log[3].query).toMatchObject({ offenceCode: '71/17', onlineFlag: 'yes' });
    expect(log[3].recordIds).toEqual([]);
    expect(log[3].recordCount).toBeGreaterThanOrEqual(1);
    // The auditor can also ask by record.
    const byRecord: Entry[] = (
      await http()
        .get('/access-log')
        .query({ record: crime.id })
        .set(who.nationalAuditor)
        .expect(200)
    ).body;
    expect(byRecord.map((e) => e.action)).toEqual([
      'collection',
      'consultation',
      'consultation',
      'alteration',
    ]);
  });

  it('does not log a write that was refused (nothing happened)', async () => {
    const r = who.lincolnshireRegistrar;
    await http()
      .post('/crimes')
      .set(r)
      .send(crimeBody({ forceId: 'lincolnshire', offenceCode: '19E', victimAge: 15 }))
      .expect(422);
    expect(await entriesOf(userOf(r))).toEqual([]);
  });

  it('scopes an auditor to their forces and refuses everyone else', async () => {
    const lincs = who.lincolnshireRegistrar;
    await http()
      .post('/crimes')
      .set(lincs)
      .send(crimeBody({ forceId: 'lincolnshire' }))
      .expect(201);
    expect(await entriesOf(userOf(lincs), who.derbyshireAuditor)).toEqual([]);
    expect((await entriesOf(userOf(lincs), who.nationalAuditor)).length).toBeGreaterThan(0);
    await http()
      .get('/access-log')
      .query({ force: 'lincolnshire' })
      .set(who.derbyshireAuditor)
      .expect(403);
    await http().get('/access-log').set(who.derbyshireRegistrar).expect(403);
    await http().get('/access-log').set(who.admin).expect(403);
  });

  it('detects tampering with a stored entry (cyberflag audit verify)', async () => {
    await http().get('/crimes').set(who.derbyshireRegistrar).expect(200); // at least a few entries exist
    const saved = process.env.DATABASE_URL;
    process.env.DATABASE_URL = testDatabaseUrl();
    process.env.DATABASE_APP_URL = testAppDatabaseUrl();
    const owner = new pg.Client({ connectionString: testDatabaseUrl() });
    await owner.connect();
    const run = async () => {
      const out: string[] = [];
      const code = await cli(['audit', 'verify'], (l) => out.push(l));
      return { code, text: out.join('\n') };
    };
    try {
      expect(await run()).toMatchObject({ code: 0 });
      const [victim] = (
        await owner.query(`SELECT seq, user_id FROM access_log ORDER BY seq LIMIT 1 OFFSET 1`)
      ).rows;
      // A superuser who switches triggers off can still edit the table; the chain shows it.
      await owner.query(`SET session_replication_role = replica`);
      await owner.query(`UPDATE access_log SET user_id = 'someone-else' WHERE seq = $1`, [
        victim.seq,
      ]);
      const tampered = await run();
      expect(tampered.code).toBe(1);
      expect(tampered.text).toContain(
        `TAMPERED at #${victim.seq}: entry content does not match its hash`,
      );
      await owner.query(`UPDATE access_log SET user_id = $2 WHERE seq = $1`, [
        victim.seq,
        victim.user_id,
      ]);
      await owner.query(
        `CREATE TEMP TABLE saved_entry AS SELECT * FROM access_log WHERE seq = $1`,
        [victim.seq],
      );
      await owner.query(`DELETE FROM access_log WHERE seq = $1`, [victim.seq]);
      const deleted = await run();
      expect(deleted.code).toBe(1);
      expect(deleted.text).toContain('sequence gap');
      await owner.query(`INSERT INTO access_log SELECT * FROM saved_entry`);
      await owner.query(`RESET session_replication_role`);
      expect(await run()).toMatchObject({ code: 0 });
    } finally {
      await owner.query(`RESET session_replication_role`).catch(() => undefined);
      await owner.end();
      process.env.DATABASE_URL = saved;
    }
  });
});
