import type { INestApplication } from '@nestjs/common';
import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { generateDemoCrimes, IMPORT_BATCH_ROWS, writeDemoCsv } from '#libs/imports';
import { createTestApp, testAppDatabaseUrl, testDatabaseUrl } from './support/create-test-app.js';
import { personas, type Personas } from './factories/identity.js';

const HEADER =
  'crime_reference,force_id,offence_code,reported_at,recorded_at,offence_from,offence_to,online_flag,online_method,victim_age,victim_sex,status';
// Valid rows in Derbyshire, 2023-24.
const row = (
  ref: string,
  o: Partial<Record<'force' | 'code' | 'flag' | 'age' | 'sex' | 'method' | 'status', string>> = {},
) =>
  [
    ref,
    o.force ?? 'derbyshire',
    o.code ?? '8L',
    '2023-06-01T10:00:00Z',
    '2023-06-01T12:00:00Z',
    '2023-05-30T09:00:00Z',
    '',
    o.flag ?? 'Y',
    o.method ?? 'abusive messages on a social network',
    o.age ?? '34',
    o.sex ?? 'female',
    o.status ?? 'confirmed',
  ].join(',');
const csv = (...rows: string[]) => [HEADER, ...rows].join('\r\n') + '\r\n';

describe('bulk import', () => {
  let app: INestApplication<App>;
  let who: Personas;
  let owner: pg.Client;
  const http = () => request(app.getHttpServer());
  const refs = (n: number) => Array.from({ length: n }, () => `IMP-${randomUUID().slice(0, 13)}`);
  const upload = (
    body: string | Buffer,
    mode?: string,
    as = who.derbyshireRegistrar,
    type = 'text/csv',
  ) =>
    http()
      .post('/imports')
      .query(mode ? { mode } : {})
      .set(as)
      .set('content-type', type)
      .send(body);
  const stored = async (references: string[]) =>
    (
      await owner.query(
        `SELECT crime_reference, offence_code, victim_age, online_flag, version FROM crimes WHERE crime_reference = ANY ($1) ORDER BY crime_reference`,
        [references],
      )
    ).rows;

  beforeAll(async () => {
    app = await createTestApp();
    who = await personas(app);
    owner = new pg.Client({ connectionString: testDatabaseUrl() });
    await owner.connect();
  });
  afterAll(async () => {
    await owner.end();
    await app.close();
  });

  it('loads a valid file exactly, with history and Y/N/U flags mapped', async () => {
    const [a, b, c] = refs(3);
    const res = await upload(
      csv(
        row(a),
        row(b, { flag: 'N', method: '' }),
        row(c, { flag: 'U', status: 'draft', method: '' }),
      ),
    ).expect(201);
    expect(res.body).toMatchObject({
      state: 'completed',
      mode: 'all_or_nothing',
      counts: { read: 3, accepted: 3, inserted: 3, amended: 0, unchanged: 0, rejected: 0 },
      forces: ['derbyshire'],
    });
    expect(await stored([a, b, c])).toEqual(
      [
        { crime_reference: a, offence_code: '8L', victim_age: 34, online_flag: 'yes', version: 1 },
        { crime_reference: b, offence_code: '8L', victim_age: 34, online_flag: 'no', version: 1 },
        {
          crime_reference: c,
          offence_code: '8L',
          victim_age: 34,
          online_flag: 'unknown',
          version: 1,
        },
      ].sort((x, y) => x.crime_reference.localeCompare(y.crime_reference)),
    );
    // The import stores no 'created' history row (the record carries import_id); the history derives it.
    const [{ id, import_id }] = (
      await owner.query(`SELECT id, import_id FROM crimes WHERE crime_reference = $1`, [a])
    ).rows;
    expect(import_id).toBe(res.body.id);
    expect(
      (await owner.query(`SELECT count(*)::int AS n FROM crime_history WHERE crime_id = $1`, [id]))
        .rows[0].n,
    ).toBe(0);
    expect(
      (await http().get(`/crimes/${id}`).set(who.derbyshireRegistrar).expect(200)).body.importId,
    ).toBe(res.body.id);
    const history = (
      await http().get(`/crimes/${id}/history`).set(who.derbyshireRegistrar).expect(200)
    ).body;
    expect(history).toEqual([
      expect.objectContaining({
        version: 1,
        action: 'created',
        reason: `import ${res.body.id}`,
        changedBy: expect.any(String),
      }),
    ]);
    expect(history[0].changes).toMatchObject({
      onlineFlag: { old: null, new: 'yes' },
      victimAge: { old: null, new: 34 },
      recordedAt: { old: null, new: '2023-06-01T12:00:00.000Z' },
    });
    // The collection is in the access log, each record findable by id.
    const ids = (
      await owner.query(`SELECT id FROM crimes WHERE crime_reference = ANY ($1)`, [[a, b, c]])
    ).rows.map((r: { id: string }) => r.id);
    const log = await owner.query(
      `SELECT action, force_ids, record_count, record_ids::text[] AS record_ids FROM access_log WHERE purpose = $1 AND action = 'collection'`,
      [`import ${res.body.id}`],
    );
    expect(log.rows).toEqual([
      {
        action: 'collection',
        force_ids: ['derbyshire'],
        record_count: 3,
        record_ids: expect.arrayContaining(ids),
      },
    ]);
  });

  it('rejects the whole file in default mode, with every bad row and its line in the report', async () => {
    const [a, b, c, d] = refs(4);
    const body = csv(
      row(a),
      row(b, { age: 'abc' }),
      row(c),
      row(d, { code: '19E', age: '15', sex: 'female' }),
    );
    const res = await upload(body).expect(422);
    const job = res.body.details.import;
    expect(job).toMatchObject({ state: 'rejected', counts: { read: 4, rejected: 2, inserted: 0 } });
    expect(await stored([a, b, c, d])).toEqual([]);
    const report = await http().get(`/imports/${job.id}`).set(who.derbyshireRegistrar).expect(200);
    expect(
      report.body.rejections.map((r: { line: number; crimeReference: string; codes: string[] }) => [
        r.line,
        r.crimeReference,
        r.codes,
      ]),
    ).toEqual([
      [3, b, [expect.stringMatching(/^IMP-FIELD-/)]],
      [5, d, ['CF-AGE-001']],
    ]);
    const csvReport = await http()
      .get(`/imports/${job.id}/report`)
      .query({ format: 'csv' })
      .set(who.derbyshireRegistrar)
      .expect(200);
    expect(csvReport.headers['content-type']).toContain('text/csv');
    expect(csvReport.text.split('\r\n')[0]).toBe('line,crime_reference,force_id,codes,message');
    expect(csvReport.text).toContain(`5,${d},derbyshire,CF-AGE-001,`);
  });

  it('loads exactly the valid rows with mode=accept_valid and reports the rest', async () => {
    const [a, b, c] = refs(3);
    const res = await upload(
      csv(row(a), row(b, { force: 'lincolnshire' }), row(c)),
      'accept_valid',
    ).expect(201);
    expect(res.body.counts).toMatchObject({ read: 3, accepted: 2, rejected: 1, inserted: 2 });
    expect((await stored([a, b, c])).map((r) => r.crime_reference).sort()).toEqual([a, c].sort());
    const report = await http()
      .get(`/imports/${res.body.id}/report`)
      .set(who.derbyshireRegistrar)
      .expect(200);
    expect(report.body).toEqual([
      expect.objectContaining({ line: 3, crimeReference: b, codes: ['IMP-SCOPE-001'] }),
    ]);
  });

  it('writes nothing on a dry run, but says what would happen', async () => {
    const [a] = refs(1);
    const res = await upload(csv(row(a)), 'dry_run').expect(201);
    expect(res.body).toMatchObject({
      mode: 'dry_run',
      state: 'completed',
      counts: { inserted: 1 },
    });
    expect(await stored([a])).toEqual([]);
  });

  it('is idempotent: the same file again changes nothing; changed values become amendments', async () => {
    const [a, b] = refs(2);
    const file = csv(row(a), row(b));
    await upload(file).expect(201);
    const again = await upload(file).expect(201);
    expect(again.body.counts).toMatchObject({ inserted: 0, amended: 0, unchanged: 2 });
    const changed = await upload(csv(row(a, { age: '35' }), row(b))).expect(201);
    expect(changed.body.counts).toMatchObject({ inserted: 0, amended: 1, unchanged: 1 });
    expect((await stored([a]))[0]).toMatchObject({ victim_age: 35, version: 2 });
    const [{ id }] = (await owner.query(`SELECT id FROM crimes WHERE crime_reference = $1`, [a]))
      .rows;
    const history = (
      await http().get(`/crimes/${id}/history`).set(who.derbyshireRegistrar).expect(200)
    ).body;
    expect(history.map((h: { version: number; action: string }) => [h.version, h.action])).toEqual([
      [1, 'created'],
      [2, 'amended'],
    ]);
    expect(history[0].changes.victimAge).toEqual({ old: null, new: 34 }); // as first imported: the amendment is undone
    expect(history[1]).toMatchObject({
      reason: `import ${changed.body.id}`,
      changes: { victimAge: { old: 34, new: 35 } },
    });
  });

  it('finds a reference repeated in a later batch: the default mode rejects the file, accept_valid drops the later line', async () => {
    const n = IMPORT_BATCH_ROWS + 50; // the repeat lands in the second batch, after the first was merged
    const rs = refs(n);
    const lines = rs.map((r) => row(r));
    lines[n - 10] = row(rs[0], { age: '40' });
    const repeatLine = n - 10 + 2; // line 1 is the header
    const body = csv(...lines);
    const res = await upload(body).expect(422);
    const job = res.body.details.import;
    expect(job.counts).toMatchObject({ read: n, accepted: n - 1, rejected: 1, inserted: 0 });
    expect(await stored([rs[0], rs[1], rs[n - 1]])).toEqual([]);
    const report = (
      await http().get(`/imports/${job.id}/report`).set(who.derbyshireRegistrar).expect(200)
    ).body;
    expect(report).toEqual([
      expect.objectContaining({
        line: repeatLine,
        crimeReference: rs[0],
        codes: ['IMP-DUP-001'],
        message: expect.stringContaining('line 2'),
      }),
    ]);
    const dry = await upload(body, 'dry_run').expect(201);
    expect(dry.body.counts).toMatchObject({
      read: n,
      accepted: n - 1,
      rejected: 1,
      inserted: n - 1,
    });
    expect(await stored([rs[0], rs[n - 1]])).toEqual([]);
    const ok = await upload(body, 'accept_valid').expect(201);
    expect(ok.body.counts).toMatchObject({
      read: n,
      accepted: n - 1,
      rejected: 1,
      inserted: n - 1,
      amended: 0,
    });
    expect((await stored([rs[0]]))[0]).toMatchObject({ victim_age: 34, version: 1 }); // the first line's values
  }, 60_000);

  it('finds a repeated reference across batches when both lines name an existing record and change nothing', async () => {
    const [existing] = refs(1);
    await upload(csv(row(existing))).expect(201);
    const n = IMPORT_BATCH_ROWS + 50;
    const lines = [row(existing), ...refs(n - 1).map((r) => row(r))];
    lines[n - 10] = row(existing); // the same values again, in the second batch: no-ops both, yet ambiguous
    const res = await upload(csv(...lines)).expect(422);
    const job = res.body.details.import;
    expect(job.counts).toMatchObject({ read: n, rejected: 1, inserted: 0 });
    const report = (
      await http().get(`/imports/${job.id}/report`).set(who.derbyshireRegistrar).expect(200)
    ).body;
    expect(report).toEqual([
      expect.objectContaining({
        line: n - 10 + 2,
        crimeReference: existing,
        codes: ['IMP-DUP-001'],
        message: expect.stringContaining('line 2'),
      }),
    ]);
  }, 60_000);

  it('refuses rows that would change a cancelled record or send a confirmed one back to draft', async () => {
    const [a, b, c] = refs(3);
    await upload(csv(row(a), row(b))).expect(201);
    await owner.query(
      `UPDATE crimes SET status = 'cancelled', cancellation_category = 'C2', cancellation_justification = 'Verifiable information shows no crime.', cancelled_at = now(), cancelled_by = 't' WHERE crime_reference = $1`,
      [a],
    );
    const body = csv(
      row(a, { age: '40' }),
      row(b, { status: 'draft', flag: 'U', method: '' }),
      row(c),
    );
    const rejected = await upload(body).expect(422);
    expect(rejected.body.details.import.counts).toMatchObject({
      read: 3,
      accepted: 1,
      rejected: 2,
      inserted: 0,
    });
    expect(await stored([c])).toEqual([]);
    const codes = async (id: string) =>
      (await http().get(`/imports/${id}/report`).set(who.derbyshireRegistrar).expect(200)).body.map(
        (r: { line: number; codes: string[] }) => [r.line, r.codes],
      );
    expect(await codes(rejected.body.details.import.id)).toEqual([
      [2, ['IMP-STATE-001']],
      [3, ['IMP-STATE-002']],
    ]);
    const partial = await upload(body, 'accept_valid').expect(201);
    expect(partial.body.counts).toMatchObject({
      read: 3,
      accepted: 1,
      rejected: 2,
      inserted: 1,
      amended: 0,
      unchanged: 0,
    });
    expect(await codes(partial.body.id)).toEqual([
      [2, ['IMP-STATE-001']],
      [3, ['IMP-STATE-002']],
    ]);
    expect(
      (await stored([a, b, c])).map((r) => [
        r.crime_reference,
        r.victim_age,
        r.online_flag,
        r.version,
      ]),
    ).toEqual(
      [
        [a, 34, 'yes', 2], // the cancellation above, in SQL, advanced it (migration 1780000027700)
        [b, 34, 'yes', 1],
        [c, 34, 'yes', 1],
      ].sort((x, y) => String(x[0]).localeCompare(String(y[0]))),
    );
  });

  it('once the default mode has a bad row, later batches are only checked: the report still lists every bad row', async () => {
    const [cancelled] = refs(1);
    await upload(csv(row(cancelled))).expect(201);
    await owner.query(
      `UPDATE crimes SET status = 'cancelled', cancellation_category = 'C2', cancellation_justification = 'Verifiable information shows no crime.', cancelled_at = now(), cancelled_by = 't' WHERE crime_reference = $1`,
      [cancelled],
    );
    const n = IMPORT_BATCH_ROWS + 20;
    const rs = refs(n);
    const lines = rs.map((r) => row(r));
    lines[0] = row(rs[0], { age: 'abc' }); // bad in the first batch
    lines[n - 1] = row(cancelled, { age: '50' }); // a state conflict in the second
    const res = await upload(csv(...lines)).expect(422);
    const job = res.body.details.import;
    expect(job.counts).toMatchObject({ read: n, accepted: n - 2, rejected: 2, inserted: 0 });
    const report = (
      await http().get(`/imports/${job.id}/report`).set(who.derbyshireRegistrar).expect(200)
    ).body;
    expect(report.map((r: { line: number; codes: string[] }) => [r.line, r.codes])).toEqual([
      [2, [expect.stringMatching(/^IMP-FIELD-/)]],
      [n + 1, ['IMP-STATE-001']],
    ]);
    expect(await stored([rs[1], rs[n - 2]])).toEqual([]);
  }, 60_000);

  it('reads NDJSON', async () => {
    const [a] = refs(1);
    const line = {
      crime_reference: a,
      force_id: 'derbyshire',
      offence_code: '35',
      reported_at: '2023-07-01T10:00:00Z',
      recorded_at: '2023-07-01T11:00:00Z',
      offence_from: '2023-06-30',
      offence_to: null,
      online_flag: 'yes',
      online_method: 'email demand',
      victim_age: 50,
      victim_sex: 'male',
      status: 'confirmed',
    };
    const res = await upload(
      `${JSON.stringify(line)}\n`,
      undefined,
      who.derbyshireRegistrar,
      'application/x-ndjson',
    ).expect(201);
    expect(res.body.counts).toMatchObject({ inserted: 1 });
  });

  it.each([
    ['unbalanced quotes', () => csv(row('Q1'), '"Q2,derbyshire,8L'), 'IMP-FILE-004'],
    ['a wrong header', () => 'ref,force\r\nA,derbyshire\r\n', 'IMP-FILE-002'],
    [
      'a wrong encoding',
      () =>
        Buffer.concat([
          Buffer.from(csv(row('ENC1')).slice(0, -2)),
          Buffer.from([0xe9, 0x0d, 0x0a]),
        ]),
      'IMP-FILE-003',
    ],
    ['an empty file', () => '', 'IMP-FILE-001'],
    [
      'a 10 MB single field',
      () => `${HEADER}\r\n"${'x'.repeat(10 * 1024 * 1024)}",derbyshire\r\n`,
      'IMP-FILE-005',
    ],
  ])('refuses %s with a clear 400 and loads nothing', async (_, body, code) => {
    const before = Number((await owner.query(`SELECT count(*) FROM crimes`)).rows[0].count);
    const res = await upload(body()).expect(400);
    expect(res.body.details.code).toBe(code);
    expect(res.body.message).toContain(code);
    expect(Number((await owner.query(`SELECT count(*) FROM crimes`)).rows[0].count)).toBe(before);
  });

  it('refuses another content type, and hides imports from other forces', async () => {
    await http()
      .post('/imports')
      .set(who.derbyshireRegistrar)
      .set('content-type', 'application/xml')
      .send('<x/>')
      .expect(400);
    const res = await upload(csv(row(refs(1)[0]))).expect(201);
    await http().get(`/imports/${res.body.id}`).set(who.lincolnshireRegistrar).expect(404);
    await http().get(`/imports/${res.body.id}`).set(who.nationalAuditor).expect(200);
  });

  let killDir: string | undefined; // the killed import's file (60,000 rows), removed after the file's tests
  afterAll(() => {
    if (killDir) rmSync(killDir, { recursive: true, force: true });
  });

  it('leaves no partial rows when the import process is killed, and a re-run completes it', async () => {
    const KILL_TAG = randomUUID().slice(0, 8);
    const dir = (killDir = mkdtempSync(join(tmpdir(), 'cyberflag-kill-')));
    const file = join(dir, 'big.csv');
    const rows = 60000;
    const out = createWriteStream(file);
    // The demo's national rows, all moved into Derbyshire under references of their own: this file's other
    // tests work in Derbyshire only.
    let n = 0;
    const derbyshireOnly = function* () {
      for (const r of generateDemoCrimes({ year: 2024, records: rows, seed: 'kill-test' }))
        yield { ...r, force_id: 'derbyshire', crime_reference: `KILL-${KILL_TAG}-${++n}` };
    };
    await writeDemoCsv(derbyshireOnly(), out);
    await new Promise((r) => out.end(r));
    const env = {
      ...process.env,
      DATABASE_URL: testDatabaseUrl(),
      DATABASE_APP_URL: testAppDatabaseUrl(),
    };
    const cli = (args: string[]) =>
      spawn(process.execPath, ['dist/apps/api/src/cli.js', ...args], {
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    const demoRows = async () =>
      Number(
        (
          await owner.query(`SELECT count(*) FROM crimes WHERE crime_reference LIKE $1`, [
            `KILL-${KILL_TAG}-%`,
          ])
        ).rows[0].count,
      );
    expect(await demoRows()).toBe(0);
    const child = cli(['import', file, '--force', 'derbyshire']);
    // Kill it once it has streamed part of the file into its transaction.
    for (let i = 0; i < 600; i++) {
      const r = await owner.query(
        `SELECT rows_read FROM imports WHERE file_name = 'big.csv' AND state = 'running' ORDER BY created_at DESC LIMIT 1`,
      );
      if (r.rows[0] && r.rows[0].rows_read > 0) break;
      await new Promise((res) => setTimeout(res, 100));
    }
    child.kill('SIGKILL');
    await new Promise((r) => child.on('exit', r));
    await new Promise((r) => setTimeout(r, 500)); // the server notices the dropped connection and rolls back
    expect(await demoRows()).toBe(0);
    const rerun = cli(['import', file, '--force', 'derbyshire']);
    let text = '';
    rerun.stdout.on('data', (d: Buffer) => (text += d.toString()));
    const code = await new Promise((r) => rerun.on('exit', r));
    expect(code).toBe(0);
    expect(text).toContain(`${rows} new`);
    expect(await demoRows()).toBe(rows);
  }, 180_000);
});
