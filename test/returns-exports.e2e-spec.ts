import type { INestApplication } from '@nestjs/common';
import { parse as parseCsv } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { createTestApp, testAppDatabaseUrl, testDatabaseUrl } from './support/create-test-app.js';
import { crimeBody } from './factories/crime.factory.js';
import { loginAs, userOf, type Headers } from './factories/identity.js';

// Exports of the force annual return (JSON, CSV, XLSX, CLI) on North Wales 2015-16, a leap year
// (366 days).
const BASE = '/returns/north-wales/2015-16';
type Doc = {
  kind: string;
  revision: null | { revision: number; sha256: string; verified: boolean };
  metadata: { year: { days: number }; definitions: Record<string, string> };
  tableA: { rows: Record<string, unknown>[] };
  tableB: { rows: Record<string, unknown>[]; summary: Record<string, number | null> };
  tableC: { quality: Record<string, number | null>; removals: Record<string, unknown>[] };
};

// Reads a zip's central directory and inflates each entry (archiver writes deflate, method 8).
function unzip(buf: Buffer): Map<string, string> {
  const eocd = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const out = new Map<string, string>();
  let p = buf.readUInt32LE(eocd + 16);
  for (let i = 0; i < buf.readUInt16LE(eocd + 10); i++) {
    const [method, size, nameLen, extraLen, commentLen, local] = [
      buf.readUInt16LE(p + 10),
      buf.readUInt32LE(p + 20),
      buf.readUInt16LE(p + 28),
      buf.readUInt16LE(p + 30),
      buf.readUInt16LE(p + 32),
      buf.readUInt32LE(p + 42),
    ];
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const data = buf.subarray(start, start + size);
    out.set(
      buf.toString('utf8', p + 46, p + 46 + nameLen),
      (method === 8 ? inflateRawSync(data) : data).toString('utf8'),
    );
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

const binary = (
  res: NodeJS.ReadableStream & {
    setEncoding: (e: string) => void;
    on: (e: string, f: (c?: Buffer) => void) => void;
  },
  cb: (err: Error | null, body: Buffer) => void,
) => {
  const chunks: Buffer[] = [];
  res.on('data', (c) => chunks.push(c as Buffer));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

// Table A as the sheet and the CSV hold it: the JSON row's values in column order (null = empty).
const aCells = (r: Record<string, unknown>) =>
  [
    'level',
    'group',
    'subgroup',
    'offenceCode',
    'offenceName',
    'sexualOffence',
    'flagYes',
    'flagNo',
    'flagUnknown',
    'total',
    'pctFlagged',
  ].map((k) => r[k]);
const bCells = (r: Record<string, unknown>) =>
  ['level', 'band', 'female', 'male', 'unknownSex', 'total', 'rapes'].map((k) => r[k]);

describe('force annual return exports', () => {
  let app: INestApplication<App>;
  let registrar: Headers,
    fcr: Headers,
    exporter: Headers,
    auditor: Headers,
    otherRegistrar: Headers;
  let json: Doc;
  const http = () => request(app.getHttpServer());
  const download = (q: Record<string, string>, as = exporter) =>
    http()
      .get(BASE)
      .query(q)
      .set(as)
      .buffer(true)
      .parse(binary as never);

  beforeAll(async () => {
    app = await createTestApp();
    registrar = await loginAs(app, ['registrar'], ['north-wales'], 'reg-nwales');
    fcr = await loginAs(app, ['force_crime_registrar'], ['north-wales'], 'fcr-nwales');
    exporter = await loginAs(app, ['registrar'], ['north-wales'], 'exp-nwales');
    auditor = await loginAs(app, ['auditor'], ['north-wales'], 'aud-nwales');
    otherRegistrar = await loginAs(app, ['registrar'], ['derbyshire'], 'reg-dby-exp');
    const nw = (o: Record<string, unknown>) =>
      crimeBody({
        forceId: 'north-wales',
        offenceCode: '8L',
        victimAge: 30,
        suspectAge: null,
        offenceTo: null,
        onlinePlatform: null,
        reportedAt: '2015-06-01T09:00:00Z',
        recordedAt: '2015-06-01T12:00:00Z',
        offenceFrom: '2015-05-30T18:00:00Z',
        ...o,
      });
    for (const o of [
      {},
      { recordedAt: '2016-02-29T12:00:00Z', reportedAt: '2016-02-29T09:00:00Z' },
      { onlineFlag: 'no', onlineMethod: null },
      { offenceCode: '88A', victimAge: 13, suspectAge: 30 },
      { offenceCode: '19C', victimAge: 17, suspectAge: 30 },
    ]) {
      await http().post('/crimes').set(registrar).send(nw(o)).expect(201);
    }
    const gone = (await http().post('/crimes').set(registrar).send(nw({})).expect(201)).body;
    await http()
      .post(`/crimes/${gone.id}/cancel`)
      .set(fcr)
      .send({
        version: 1,
        category: 'C5',
        justification: 'Recorded in error against the wrong force system entry',
      })
      .expect(200);
    const res = await download({ format: 'json' }).expect(200);
    json = JSON.parse(res.body.toString('utf8')) as Doc;
  });
  afterAll(async () => {
    await app.close();
  });

  it('exports JSON as an attachment that matches the published schema, without single years of age', async () => {
    const res = await download({ format: 'json' }).expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers['content-disposition']).toBe(
      'attachment; filename="north-wales-2015-16-draft.json"',
    );
    const schema = JSON.parse(
      readFileSync('libs/returns/schema/force-return.schema.json', 'utf8'),
    ) as object;
    type Validator = ((d: unknown) => boolean) & { errors?: unknown };
    const Ajv2020 = (
      createRequire(import.meta.url)('ajv/dist/2020') as {
        default: new (o: object) => { compile: (s: object) => Validator };
      }
    ).default;
    const validate = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true }).compile(
      schema,
    );
    expect([validate(json), validate.errors ?? null]).toEqual([true, null]);
    expect(json).toMatchObject({
      kind: 'draft',
      revision: null,
      metadata: { year: { days: 366 } },
    });
    expect(json.tableA.rows.at(-1)).toMatchObject({
      level: 'total',
      flagYes: 4,
      flagNo: 1,
      total: 5,
    });
    expect(json.tableB.rows.map((r) => r.level)).toEqual([
      'band',
      'band',
      'band',
      'band',
      'band',
      'band',
      'total',
    ]);
    expect(json.tableB.summary).toEqual({
      total: 2,
      rapes: 1,
      youngestAge: 13,
      modalAge: 13,
      underTen: 0,
    });
    expect(json.tableC.removals.at(-1)).toMatchObject({ level: 'total', total: 1 });
  });

  it('exports XLSX that opens with the same numbers as the JSON, and a cover sheet of definitions', async () => {
    const res = await download({ format: 'xlsx' }).expect(200);
    expect(res.headers['content-disposition']).toContain('north-wales-2015-16-draft.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.body as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual([
      'Cover',
      'Table A',
      'Table B',
      'Table B summary',
      'Table C',
    ]);
    const rows = (name: string) => {
      const out: unknown[][] = [];
      wb.getWorksheet(name)!.eachRow((row) => out.push((row.values as unknown[]).slice(1)));
      return out;
    };
    const cells = (values: unknown[], n: number) =>
      Array.from({ length: n }, (_, i) => values[i] ?? null);
    expect(
      rows('Table A')
        .slice(1)
        .map((r) => cells(r, 11)),
    ).toEqual(json.tableA.rows.map(aCells));
    expect(
      rows('Table B')
        .slice(1)
        .map((r) => cells(r, 7)),
    ).toEqual(json.tableB.rows.map(bCells));
    expect(
      Object.fromEntries(
        rows('Table B summary')
          .slice(1)
          .map((r) => [r[0], r[1] ?? null]),
      ),
    ).toEqual({
      total: 2,
      rapes: 1,
      youngest_age: 13,
      modal_age: 13,
      under_ten: 0,
    });
    const c = rows('Table C')
      .slice(1)
      .filter((r) => r[0] === 'quality')
      .map((r) => [r[2], r[3] ?? null]);
    expect(Object.fromEntries(c)).toEqual(json.tableC.quality);
    const cover = Object.fromEntries(
      rows('Cover')
        .filter((r) => r.length >= 2)
        .map((r) => [r[0], r[1]]),
    );
    expect(cover).toMatchObject({
      'Financial year': '2015-16',
      'Days in period': 366,
      'Counting unit, table A': 'crimes; one crime per victim',
      onlineFlag: json.metadata.definitions.onlineFlag,
    });
    expect(cover.onlineFlag).toContain(
      'in full or in part, through a computer, computer network or other computer-enabled device',
    );
  });

  it('exports CSV as a zip of one file per table, or one table alone', async () => {
    const res = await download({ format: 'csv' }).expect(200);
    expect(res.headers['content-type']).toBe('application/zip');
    const files = unzip(res.body as unknown as Buffer);
    expect([...files.keys()]).toEqual([
      'metadata.csv',
      'table-a.csv',
      'table-b.csv',
      'table-b-summary.csv',
      'table-c.csv',
    ]);
    const a = parseCsv(files.get('table-a.csv')!, { columns: true, cast: true }) as Record<
      string,
      unknown
    >[];
    expect(
      a.map((r) => [r.offence_code === '' ? null : r.offence_code, r.flag_yes, r.flag_no, r.total]),
    ).toEqual(json.tableA.rows.map((r) => [r.offenceCode, r.flagYes, r.flagNo, r.total]));
    expect(files.get('metadata.csv')).toContain('year.days,366\r\n');
    const one = await download({ format: 'csv', table: 'A' }).expect(200);
    expect(one.headers['content-type']).toMatch(/^text\/csv/);
    expect(one.body.toString('utf8')).toBe(files.get('table-a.csv'));
    await http().get(BASE).query({ format: 'json', table: 'A' }).set(exporter).expect(400);
    await http().get(BASE).query({ format: 'pdf' }).set(exporter).expect(400);
  });

  it('exports a submitted revision with its hash, verified', async () => {
    await http().post(`${BASE}/submit`).set(fcr).send({ version: 0 }).expect(200);
    const res = await download({ format: 'json', revision: '1' }).expect(200);
    const doc = JSON.parse(res.body.toString('utf8')) as Doc;
    const stored = (await http().get(`${BASE}/revisions/1`).set(auditor).expect(200)).body;
    expect(doc).toMatchObject({
      kind: 'revision',
      revision: { revision: 1, sha256: stored.sha256, verified: true },
    });
    expect(doc.tableA).toEqual(stored.tables.tableA);
    await download({ format: 'json', revision: '9' }).expect(404);
  });

  it('logs every export as a disclosure, and refuses another force', async () => {
    await http().get(BASE).query({ format: 'json' }).set(otherRegistrar).expect(403);
    const log = (
      await http()
        .get('/access-log')
        .query({ force: 'north-wales', user: userOf(exporter) })
        .set(auditor)
        .expect(200)
    ).body as { action: string; query: { format: string } }[];
    // beforeAll 1 + json 1 + xlsx 1 + csv zip and one table 2 + revision 1 (the 404 wrote nothing).
    // Sorted here: GET /access-log orders by seq as text ('10' before '8'), a separate bug.
    expect(
      log
        .filter((e) => e.action === 'disclosure')
        .map((e) => e.query.format)
        .sort(),
    ).toEqual(['csv', 'csv', 'json', 'json', 'json', 'xlsx']);
  });

  let outDir: string | undefined; // the command's output, removed after the file's tests
  afterAll(() => {
    if (outDir) rmSync(outDir, { recursive: true, force: true });
  });

  it('exports the same from the command line: cyberflag return FORCE YEAR --format xlsx --out FILE', async () => {
    outDir = mkdtempSync(join(tmpdir(), 'cyberflag-return-'));
    const file = join(outDir, 'nw.xlsx');
    const env = {
      ...process.env,
      DATABASE_URL: testDatabaseUrl(),
      DATABASE_APP_URL: testAppDatabaseUrl(),
    };
    const child = spawn(
      process.execPath,
      [
        'dist/apps/api/src/cli.js',
        'return',
        'north-wales',
        '2015-16',
        '--format',
        'xlsx',
        '--revision',
        '1',
        '--out',
        file,
      ],
      { env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let text = '';
    child.stdout.on('data', (d: Buffer) => (text += d.toString()));
    child.stderr.on('data', (d: Buffer) => (text += d.toString()));
    expect(await new Promise((r) => child.on('exit', r))).toBe(0);
    expect(text).toContain(`wrote ${file}`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const total = wb.getWorksheet('Table A')!.getRow(wb.getWorksheet('Table A')!.rowCount)
      .values as unknown[];
    expect(total.slice(1, 2).concat(total.slice(7, 11))).toEqual(['total', 4, 1, 0, 5]);
    const log = (
      await http()
        .get('/access-log')
        .query({ force: 'north-wales', action: 'disclosure' })
        .set(auditor)
        .expect(200)
    ).body as { userId: string; route: string; query: { revision: number } }[];
    const cli = log.filter((e) => e.route === 'CLI return export');
    expect(cli).toEqual([
      expect.objectContaining({
        userId: expect.stringMatching(/^cli:/),
        query: expect.objectContaining({ format: 'xlsx', revision: 1 }),
      }),
    ]);
  }, 60_000);
});
