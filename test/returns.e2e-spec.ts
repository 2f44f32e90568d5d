import type { INestApplication } from '@nestjs/common';
import { createHash } from 'node:crypto';
import pg from 'pg';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { createTestApp, testDatabaseUrl } from './support/create-test-app.js';
import { crimeBody } from './factories/crime.factory.js';
import { loginAs, userOf, type Headers } from './factories/identity.js';

// The force annual return's lifecycle, end to end, on Warwickshire 2016-17:
// draft → blocked submission → submit → return → post-submission edits → resubmit → accept → locked.
// The tests in this file run in order and share the return.
const BASE = '/returns/warwickshire/2016-17';

// Canonical JSON written independently of libs/returns: keys sorted, no whitespace.
const canon = (v: unknown): string =>
  Array.isArray(v)
    ? `[${v.map(canon).join(',')}]`
    : v !== null && typeof v === 'object'
      ? `{${Object.keys(v)
          .sort()
          .map((k) => `${JSON.stringify(k)}:${canon((v as Record<string, unknown>)[k])}`)
          .join(',')}}`
      : JSON.stringify(v);

const warwickshire = (o: Record<string, unknown>) =>
  crimeBody({
    forceId: 'warwickshire',
    offenceCode: '8L',
    victimAge: 30,
    suspectAge: null,
    offenceTo: null,
    onlinePlatform: null,
    reportedAt: '2016-06-01T09:00:00Z',
    recordedAt: '2016-06-01T12:00:00Z',
    offenceFrom: '2016-05-30T18:00:00Z',
    ...o,
  });

describe('force annual return lifecycle', () => {
  let app: INestApplication<App>;
  let fcr: Headers,
    registrar: Headers,
    statistician: Headers,
    auditor: Headers,
    otherFcr: Headers,
    otherAuditor: Headers,
    admin: Headers;
  let draftId: string;
  let amendId: string;
  const http = () => request(app.getHttpServer());
  const view = async (as: Headers) => (await http().get(BASE).set(as).expect(200)).body;

  beforeAll(async () => {
    app = await createTestApp();
    fcr = await loginAs(app, ['force_crime_registrar'], ['warwickshire'], 'fcr-warwickshire');
    registrar = await loginAs(app, ['registrar'], ['warwickshire'], 'reg-warwickshire');
    statistician = await loginAs(app, ['statistician'], 'all', 'stat-returns');
    auditor = await loginAs(app, ['auditor'], ['warwickshire'], 'aud-warwickshire');
    otherFcr = await loginAs(app, ['force_crime_registrar'], ['derbyshire'], 'fcr-derbys');
    otherAuditor = await loginAs(app, ['auditor'], ['derbyshire'], 'aud-derbys');
    admin = await loginAs(app, ['admin'], [], 'admin-returns');
    const record = async (o: Record<string, unknown>) =>
      (await http().post('/crimes').set(registrar).send(warwickshire(o)).expect(201)).body as {
        id: string;
      };
    await record({ onlineFlag: 'yes' });
    await record({
      onlineFlag: 'yes',
      recordedAt: '2016-09-01T12:00:00Z',
      reportedAt: '2016-09-01T09:00:00Z',
    });
    amendId = (await record({ onlineFlag: 'no', onlineMethod: null })).id;
    await record({ offenceCode: '88A', victimAge: 14, suspectAge: 30, onlineFlag: 'yes' });
    draftId = (await record({ status: 'draft', onlineFlag: 'unknown', onlineMethod: null })).id;
  });
  afterAll(async () => {
    await app.close();
  });

  it('starts as a live draft: submit is not offered while a draft has an unknown flag; nobody else may act', async () => {
    const v = await view(fcr);
    expect(v).toMatchObject({
      forceId: 'warwickshire',
      year: '2016-17',
      state: 'draft',
      version: 0,
      currentRevision: 0,
      latestRevision: null,
      changedSinceSubmission: null,
      actions: [],
      blockedBy: ['CF-RET-002'],
      events: [],
    });
    expect(v.draft.tableA.rows.at(-1)).toMatchObject({
      level: 'total',
      flagYes: 3,
      flagNo: 1,
      total: 4,
    });
    expect(v.draft.tableC.quality).toMatchObject({ counted: 4, drafts: 1, draftsUnknownFlag: 1 });
    // Rules are checked only for a caller who could submit.
    for (const as of [registrar, statistician, auditor])
      expect(await view(as)).toMatchObject({ actions: [], blockedBy: [] });
  });

  it('refuses readers outside the force and roles without returns', async () => {
    await http().get(BASE).set(otherFcr).expect(403);
    await http().get(BASE).set(otherAuditor).expect(403);
    await http().get(BASE).set(admin).expect(403);
    await http().get('/returns/warwickshire/2016-18').set(fcr).expect(400);
  });

  it('blocks a submission while a draft has an unknown flag: 422 CF-RET-002 with the record, nothing frozen', async () => {
    const res = await http().post(`${BASE}/submit`).set(fcr).send({ version: 0 }).expect(422);
    expect(res.body.code).toBe('RULE_VIOLATION');
    expect(res.body.details.ruleCodes).toEqual(['CF-RET-002']);
    expect(res.body.details.findings[0].records).toEqual([
      expect.objectContaining({ crimeId: draftId }),
    ]);
    expect(res.body.details.findings[0].message).toBe(
      '1 draft in 2016-17 still has an unknown online flag: finish or remove it before submitting',
    );
    expect(res.body.message).toBe(
      'return rules refused the submission: CF-RET-002: 1 draft in 2016-17 still has an unknown online flag: finish or remove it before submitting',
    );
    expect((await view(fcr)).state).toBe('draft');
    expect((await http().get(`${BASE}/revisions`).set(fcr).expect(200)).body).toEqual({
      forceId: 'warwickshire',
      year: '2016-17',
      revisions: [],
      status: {
        state: 'draft',
        version: 0,
        currentRevision: 0,
        actions: [],
        blockedBy: ['CF-RET-002'],
      },
    });
  });

  it('lists the violations with records on GET …/validation, and logs that as a consultation', async () => {
    const v = (await http().get(`${BASE}/validation`).set(registrar).expect(200)).body;
    expect(v).toMatchObject({
      ok: false,
      recordsWithheld: false,
      findings: [expect.objectContaining({ code: 'CF-RET-002', recordCount: 1 })],
    });
    expect(v.findings[0].records[0].crimeId).toBe(draftId);
    const forStats = (await http().get(`${BASE}/validation`).set(statistician).expect(200)).body;
    expect(forStats).toMatchObject({
      ok: false,
      recordsWithheld: true,
      findings: [expect.objectContaining({ code: 'CF-RET-002', recordCount: 1, records: [] })],
    });
    const log = (
      await http()
        .get('/access-log')
        .query({ force: 'warwickshire', user: userOf(registrar), action: 'consultation' })
        .set(auditor)
        .expect(200)
    ).body as { route: string; recordIds: string[] }[];
    expect(log.find((e) => e.route === 'GET /returns/:force/:year/validation')?.recordIds).toEqual([
      draftId,
    ]);
  });

  it('refuses submission by the wrong roles and by another force', async () => {
    await http().post(`${BASE}/submit`).set(registrar).send({ version: 0 }).expect(403);
    await http().post(`${BASE}/submit`).set(statistician).send({ version: 0 }).expect(403);
    await http().post(`${BASE}/submit`).set(auditor).send({ version: 0 }).expect(403);
    const cross = await http()
      .post(`${BASE}/submit`)
      .set(otherFcr)
      .send({ version: 0 })
      .expect(403);
    expect(cross.body.code).toBe('FORBIDDEN_SCOPE');
  });

  it('submits revision 1 once the draft is resolved, signed off with the FCR’s name', async () => {
    const draft = (await http().get(`/crimes/${draftId}`).set(registrar).expect(200)).body;
    await http()
      .patch(`/crimes/${draftId}`)
      .set(registrar)
      .send({ version: draft.version, reason: 'flag decided', onlineFlag: 'no' })
      .expect(200);
    const res = await http().post(`${BASE}/submit`).set(fcr).send({ version: 0 }).expect(200);
    expect(res.body).toMatchObject({
      state: 'submitted',
      version: 1,
      currentRevision: 1,
      event: { action: 'submit', fromState: 'draft', toState: 'submitted', by: userOf(fcr) },
    });
    expect(res.body.latestRevision).toMatchObject({
      revision: 1,
      signedOffName: userOf(fcr),
      submittedBy: userOf(fcr),
      highWater: { recordCount: 5 },
    });
  });

  it('answers 409 to a stale version and to a resubmission of unchanged data', async () => {
    expect(
      (await http().post(`${BASE}/submit`).set(fcr).send({ version: 0 }).expect(409)).body.code,
    ).toBe('VERSION_CONFLICT');
    expect(
      (await http().post(`${BASE}/submit`).set(fcr).send({ version: 1 }).expect(409)).body.code,
    ).toBe('INVALID_TRANSITION');
    const v = await view(fcr);
    expect(v).toMatchObject({ state: 'submitted', actions: [], dataChangedSinceRevision: false });
    expect(v.changedSinceSubmission).toMatchObject({
      revision: 1,
      recordCount: 0,
      records: [],
      highWaterMoved: false,
    });
    expect((await view(statistician)).actions).toEqual(['accept', 'return']);
  });

  it('lets a statistician return it, with the reasons required', async () => {
    await http().post(`${BASE}/return`).set(statistician).send({ version: 1 }).expect(400);
    await http().post(`${BASE}/return`).set(fcr).send({ version: 1, reason: 'x' }).expect(403);
    const res = await http()
      .post(`${BASE}/return`)
      .set(statistician)
      .send({ version: 1, reason: 'Check the harassment flags' })
      .expect(200);
    expect(res.body).toMatchObject({
      state: 'returned',
      version: 2,
      event: { action: 'return', reason: 'Check the harassment flags', by: userOf(statistician) },
    });
    expect((await view(fcr)).actions).toEqual(['resubmit']);
    expect((await view(statistician)).actions).toEqual([]);
    // Every GET carries the state and the caller's next actions.
    const revisions = (await http().get(`${BASE}/revisions`).set(fcr).expect(200)).body;
    expect(revisions.status).toEqual({
      state: 'returned',
      version: 2,
      currentRevision: 1,
      actions: ['resubmit'],
      blockedBy: [],
    });
    expect(
      (await http().get(`${BASE}/revisions/1`).set(statistician).expect(200)).body.status.actions,
    ).toEqual([]);
    expect((await http().get(`${BASE}/validation`).set(fcr).expect(200)).body.status).toMatchObject(
      { state: 'returned', actions: ['resubmit'] },
    );
  });

  it('shows edits made after the submission as "changed since submission"', async () => {
    const c = (await http().get(`/crimes/${amendId}`).set(registrar).expect(200)).body;
    await http()
      .patch(`/crimes/${amendId}`)
      .set(registrar)
      .send({
        version: c.version,
        reason: 'messages were sent online',
        onlineFlag: 'yes',
        onlineMethod: 'messages via a social media app',
      })
      .expect(200);
    const added = (
      await http()
        .post('/crimes')
        .set(registrar)
        .send(
          warwickshire({
            onlineFlag: 'yes',
            recordedAt: '2017-01-10T12:00:00Z',
            reportedAt: '2017-01-10T09:00:00Z',
          }),
        )
        .expect(201)
    ).body;
    const v = await view(fcr);
    expect(v.changedSinceSubmission).toMatchObject({
      revision: 1,
      recordCount: 2,
      highWaterMoved: true,
      message: '2 records changed since revision 1 was submitted',
    });
    expect(
      v.changedSinceSubmission.records.map((r: { crimeId: string }) => r.crimeId).sort(),
    ).toEqual([amendId, added.id].sort());
    expect(v.dataChangedSinceRevision).toBe(true);
    // Statisticians see the count, not the records.
    expect((await view(statistician)).changedSinceSubmission).toMatchObject({
      recordCount: 2,
      records: null,
    });
  });

  it('resubmits as revision 2; the diff against revision 1 lists the changed cells', async () => {
    const res = await http()
      .post(`${BASE}/submit`)
      .set(fcr)
      .send({ version: 2, reason: 'flags corrected', signedOffName: 'A. Jones, FCR' })
      .expect(200);
    expect(res.body).toMatchObject({
      state: 'submitted',
      version: 3,
      currentRevision: 2,
      event: { action: 'resubmit', fromState: 'returned', reason: 'flags corrected' },
    });
    expect(res.body.latestRevision.signedOffName).toBe('A. Jones, FCR');
    const list = (await http().get(`${BASE}/revisions`).set(auditor).expect(200)).body;
    expect(list.revisions.map((r: { revision: number }) => r.revision)).toEqual([1, 2]);
    expect(list.status).toEqual({
      state: 'submitted',
      version: 3,
      currentRevision: 2,
      actions: [],
      blockedBy: [],
    });
    const diff = (await http().get(`${BASE}/revisions/2/diff/1`).set(statistician).expect(200))
      .body;
    expect(diff).toMatchObject({
      from: 1,
      to: 2,
      status: { state: 'submitted', actions: ['accept', 'return'] },
    });
    const cell = (path: string) => diff.changes.find((c: { path: string }) => c.path === path);
    expect(cell('tableA.rows[offence 8L].flagYes')).toEqual({
      path: 'tableA.rows[offence 8L].flagYes',
      old: 2,
      new: 4,
    });
    expect(cell('tableA.rows[offence 8L].flagNo')).toEqual({
      path: 'tableA.rows[offence 8L].flagNo',
      old: 1,
      new: 0,
    });
    expect(cell('tableA.rows[total].total')).toEqual({
      path: 'tableA.rows[total].total',
      old: 4,
      new: 5,
    });
    expect(cell('metadata.source.recordCount')).toEqual({
      path: 'metadata.source.recordCount',
      old: 5,
      new: 6,
    });
    expect(cell('tableB.rows[total].total')).toBeUndefined(); // unchanged cells are not listed
    expect((await view(fcr)).changedSinceSubmission).toMatchObject({ revision: 2, recordCount: 0 });
  });

  it('verifies each snapshot’s SHA-256 over its canonical JSON (recomputed here with node:crypto)', async () => {
    for (const rev of [1, 2]) {
      const r = (await http().get(`${BASE}/revisions/${rev}`).set(fcr).expect(200)).body;
      const sha = createHash('sha256').update(canon(r.tables), 'utf8').digest('hex');
      expect(r.sha256).toBe(sha);
      expect(r.verification).toEqual({ ok: true, recomputedSha256: sha });
    }
    await http().get(`${BASE}/revisions/3`).set(fcr).expect(404);
  });

  it('has the database refuse UPDATE and DELETE on a snapshot, even from the owner', async () => {
    const owner = new pg.Client({ connectionString: testDatabaseUrl() });
    await owner.connect();
    try {
      await expect(
        owner.query(
          `UPDATE return_revisions SET signed_off_name = 'forged' WHERE force_id = 'warwickshire'`,
        ),
      ).rejects.toThrow(/append-only/);
      await expect(
        owner.query(`DELETE FROM return_revisions WHERE force_id = 'warwickshire'`),
      ).rejects.toThrow(/append-only/);
      await expect(
        owner.query(`UPDATE return_events SET reason = 'forged' WHERE force_id = 'warwickshire'`),
      ).rejects.toThrow(/append-only/);
      const { rows } = await owner.query(
        `SELECT count(*)::int AS n FROM return_revisions WHERE force_id = 'warwickshire' AND signed_off_name = 'forged'`,
      );
      expect(rows[0].n).toBe(0);
    } finally {
      await owner.end();
    }
  });

  it('is accepted by a statistician, after which an unchanged return cannot be resubmitted', async () => {
    await http().post(`${BASE}/accept`).set(fcr).send({ version: 3 }).expect(403);
    const res = await http()
      .post(`${BASE}/accept`)
      .set(statistician)
      .send({ version: 3 })
      .expect(200);
    expect(res.body).toMatchObject({
      state: 'accepted',
      version: 4,
      currentRevision: 2,
      event: { action: 'accept', reason: null },
    });
    expect(
      (await http().post(`${BASE}/accept`).set(statistician).send({ version: 4 }).expect(409)).body
        .code,
    ).toBe('INVALID_TRANSITION');
    expect(
      (await http().post(`${BASE}/submit`).set(fcr).send({ version: 4 }).expect(409)).body.code,
    ).toBe('INVALID_TRANSITION');
    const v = await view(auditor);
    expect(v).toMatchObject({ state: 'accepted', actions: [] });
    expect(v.events.map((e: { action: string }) => e.action)).toEqual([
      'submit',
      'return',
      'resubmit',
      'accept',
    ]);
  });

  it('lets only one of two concurrent submissions through; the other gets 409', async () => {
    const other = '/returns/warwickshire/2035-36/submit'; // no records: an empty return is valid
    const results = await Promise.all(
      [0, 1].map(() => http().post(other).set(fcr).send({ version: 0 })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(
      (await http().get('/returns/warwickshire/2035-36/revisions').set(fcr).expect(200)).body
        .revisions,
    ).toHaveLength(1);
  });

  it('once locked by the national publication, offers only a revision (with its reason) when the data changed', async () => {
    const owner = new pg.Client({ connectionString: testDatabaseUrl() });
    await owner.connect();
    try {
      // What the publication does (another area): lock the head and log a 'lock' event.
      await owner.query(
        `UPDATE force_returns SET state = 'locked', version = version + 1, updated_by = 'publication' WHERE force_id = 'warwickshire' AND financial_year = 2016`,
      );
      await owner.query(
        `INSERT INTO return_events (force_id, financial_year, revision, action, from_state, to_state, by_user) VALUES ('warwickshire', 2016, 2, 'lock', 'accepted', 'locked', 'publication')`,
      );
    } finally {
      await owner.end();
    }
    const c = (await http().get(`/crimes/${amendId}`).set(registrar).expect(200)).body;
    await http()
      .patch(`/crimes/${amendId}`)
      .set(registrar)
      .send({ version: c.version, reason: 'late correction', victimAge: 31 })
      .expect(200);
    expect(await view(fcr)).toMatchObject({
      state: 'locked',
      version: 5,
      actions: ['revise'],
      blockedBy: [],
    });
    for (const as of [statistician, registrar])
      expect(await view(as)).toMatchObject({ state: 'locked', version: 5, actions: [] });
    expect(
      (await http().post(`${BASE}/submit`).set(fcr).send({ version: 5 }).expect(400)).body.message,
    ).toMatch(/needs the reason for the correction/);
    await http().post(`${BASE}/accept`).set(statistician).send({ version: 5 }).expect(409);
    await http()
      .post(`${BASE}/return`)
      .set(statistician)
      .send({ version: 5, reason: 'too late' })
      .expect(409);
    await http().get(`${BASE}/revisions/2`).set(statistician).expect(200);
  });
});
