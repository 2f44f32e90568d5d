import { jest } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { main as cli } from '../apps/api/src/cli/commands.js';
import { createTestApp, testAppDatabaseUrl, testDatabaseUrl } from './support/create-test-app.js';

const HEADER =
  'crime_reference,force_id,offence_code,reported_at,recorded_at,offence_from,offence_to,online_flag,online_method,victim_age,victim_sex,status';
// Rows of 2018-19 (unique references; no test counts that year's records exactly).
const row = (ref: string, force = 'derbyshire', flag = 'Y') =>
  [
    ref,
    force,
    '8L',
    '2018-06-01T10:00:00Z',
    '2018-06-01T12:00:00Z',
    '2018-05-30T09:00:00Z',
    '',
    flag,
    flag === 'Y' ? 'abusive messages on a social network' : '',
    '34',
    'female',
    'confirmed',
  ].join(',');
const PROGRESS = /^progress: (\d+) rows \(100% of bytes\), \d+ rows\/s, (\d+) rejected$/;

// The operator commands, run in-process against the test database.
describe('cyberflag CLI', () => {
  let app: INestApplication<App>;
  let saved: string | undefined;

  beforeAll(async () => {
    saved = process.env.DATABASE_URL;
    process.env.DATABASE_URL = testDatabaseUrl();
    process.env.DATABASE_APP_URL = testAppDatabaseUrl();
    app = await createTestApp();
  });
  afterAll(async () => {
    process.env.DATABASE_URL = saved;
    await app.close();
  });

  const run = async (args: string[]) => {
    const out: string[] = [];
    const code = await cli(args, (l) => out.push(l));
    return { code, text: out.join('\n'), lines: out };
  };
  // stderr too: usage errors go there.
  const runCaptured = async (args: string[]) => {
    const err: string[] = [];
    const spy = jest
      .spyOn(process.stderr, 'write')
      .mockImplementation((chunk: string | Uint8Array) => (err.push(String(chunk)), true));
    try {
      return { ...(await run(args)), stderr: err.join('') };
    } finally {
      spy.mockRestore();
    }
  };
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  const extract = (rows: string[]) => {
    const dir = mkdtempSync(join(tmpdir(), 'cyberflag-cli-import-'));
    dirs.push(dir);
    const file = join(dir, 'extract.csv');
    writeFileSync(file, [HEADER, ...rows].join('\r\n') + '\r\n');
    return { dir, file };
  };

  it('creates the first admin with a one-time password that logs in, and refuses a duplicate', async () => {
    const username = `first-admin.${randomUUID().slice(0, 8)}`;
    const created = await run([
      'user',
      'add',
      '--username',
      username,
      '--name',
      'First Admin',
      '--role',
      'admin',
    ]);
    expect(created.code).toBe(0);
    const password = /password \(shown once\): (\S+)/.exec(created.text)?.[1];
    expect(password).toBeDefined();
    const login = await request(app.getHttpServer())
      .post('/auth/login')
      .send({ username, password })
      .expect(200);
    await request(app.getHttpServer())
      .get('/users')
      .set('authorization', `Bearer ${login.body.accessToken}`)
      .expect(200);
    expect((await run(['user', 'add', '--username', username, '--role', 'admin'])).code).toBe(1);
  });

  it('refuses a registrar without a force, and an unknown command', async () => {
    expect(
      (
        await run([
          'user',
          'add',
          '--username',
          `reg.${randomUUID().slice(0, 8)}`,
          '--role',
          'registrar',
        ])
      ).code,
    ).toBe(1);
    // Issue #18 finding 6: an administrator holds no data role, from the command line too.
    const both = await runCaptured([
      'user',
      'add',
      '--username',
      `both.${randomUUID().slice(0, 8)}`,
      '--role',
      'admin',
      '--role',
      'auditor',
      '--all-forces',
    ]);
    expect(both.code).toBe(1);
    expect(both.stderr).toMatch(/admin cannot be combined with a data role \(auditor\)/);
    expect((await run(['frobnicate'])).code).toBe(2);
  });

  describe('import', () => {
    it('needs --force or --all-forces (never national scope by default), not both', async () => {
      const ref = `CLI/${randomUUID().slice(0, 8)}`;
      const { file } = extract([row(`${ref}/1`)]);
      const none = await runCaptured(['import', file]);
      expect(none.code).toBe(1);
      expect(none.stderr).toBe(
        'cyberflag: say which forces the file may load: --force ID (repeatable) or --all-forces\n' +
          'usage: cyberflag import FILE (--force ID [--force ID2] | --all-forces) [--dry-run | --accept-valid] [--format csv|ndjson] [--show-rejections N] [--report FILE]\n',
      );
      const both = await runCaptured(['import', file, '--force', 'derbyshire', '--all-forces']);
      expect([both.code, both.stderr]).toEqual([
        1,
        'cyberflag: --force and --all-forces exclude each other\n',
      ]);
      expect(none.text + both.text).toBe(''); // refused before anything was read
    });

    it('refuses an all-or-nothing file with rejected rows: prints them (line, reference, codes, message) and the path of the full report', async () => {
      const ref = `CLI/${randomUUID().slice(0, 8)}`;
      const { dir, file } = extract([
        row(`${ref}/1`),
        row(`${ref}/2`, 'lincolnshire'),
        row(`${ref}/3`, 'derbyshire', ''),
        row(`${ref}/1`),
      ]);
      const report = join(dir, 'rejected.csv');
      const r = await run(['import', file, '--force', 'derbyshire', '--report', report]);
      expect(r.code).toBe(1);
      const id = /^import ([0-9a-f-]{36}) refused:/m.exec(r.text)![1];
      expect(r.lines[0]).toMatch(PROGRESS);
      expect(r.lines.slice(1)).toEqual([
        `import ${id} refused: 4 rows read, 0 new, 0 amended, 0 unchanged, 3 rejected`,
        'import rejected: 3 of 4 rows failed; nothing was loaded',
        'rejected rows (3):',
        'line  crime_reference  force_id      codes          message',
        `----  ---------------  ------------  -------------  ${'-'.repeat(77)}`,
        `   3  ${ref}/2   lincolnshire  IMP-SCOPE-001  force lincolnshire is outside your import scope (derbyshire)`,
        `   4  ${ref}/3   derbyshire    IMP-FIELD-003  online_flag: a value is required`,
        `   5  ${ref}/1   derbyshire    IMP-DUP-001    crime reference ${ref}/1 already appears on line 2 for force derbyshire`,
        `full report of the 3 rejected rows: ${report}`,
      ]);
      // The final progress line agrees with the summary.
      expect(PROGRESS.exec(r.lines[0]!)!.slice(1)).toEqual(['4', '3']);
      expect(statSync(report).mode & 0o777).toBe(0o600);
      expect(readFileSync(report, 'utf8')).toBe(
        [
          'line,crime_reference,force_id,codes,message',
          `3,${ref}/2,lincolnshire,IMP-SCOPE-001,force lincolnshire is outside your import scope (derbyshire)`,
          `4,${ref}/3,derbyshire,IMP-FIELD-003,online_flag: a value is required`,
          `5,${ref}/1,derbyshire,IMP-DUP-001,crime reference ${ref}/1 already appears on line 2 for force derbyshire`,
          '',
        ].join('\r\n'),
      );
    });

    it('accepts the valid rows with --accept-valid, lists only the first N rejected rows, and its counts agree', async () => {
      const ref = `CLI/${randomUUID().slice(0, 8)}`;
      const { dir, file } = extract([
        row(`${ref}/1`),
        row(`${ref}/2`, 'lincolnshire'),
        row(`${ref}/3`, 'leicestershire'),
        row(`${ref}/4`, 'lincolnshire'),
        row(`${ref}/5`, 'nottinghamshire'),
      ]);
      const report = join(dir, 'r.csv');
      const r = await run([
        'import',
        file,
        '--force',
        'derbyshire',
        '--force',
        'lincolnshire',
        '--accept-valid',
        '--show-rejections',
        '1',
        '--report',
        report,
      ]);
      expect(r.code).toBe(0);
      const id = /^import ([0-9a-f-]{36}) completed:/m.exec(r.text)![1];
      expect(PROGRESS.exec(r.lines[0]!)!.slice(1)).toEqual(['5', '2']);
      expect(r.lines.slice(1)).toEqual([
        `import ${id} completed: 5 rows read, 3 new, 0 amended, 0 unchanged, 2 rejected`,
        'rejected rows (first 1 of 2):',
        'line  crime_reference  force_id        codes          message',
        `----  ---------------  --------------  -------------  ${'-'.repeat(76)}`,
        `   4  ${ref}/3   leicestershire  IMP-SCOPE-001  force leicestershire is outside your import scope (derbyshire, lincolnshire)`,
        `full report of the 2 rejected rows: ${report}`,
      ]);
      expect(
        readFileSync(report, 'utf8')
          .split('\r\n')
          .map((l) => l.split(',')[0]),
      ).toEqual(['line', '4', '6', '']);
      // --show-rejections 0: no rows on screen, the report still written
      const again = await run([
        'import',
        file,
        '--force',
        'derbyshire',
        '--force',
        'lincolnshire',
        '--accept-valid',
        '--show-rejections',
        '0',
        '--report',
        report,
      ]);
      expect(again.lines.slice(1)).toEqual([
        expect.stringMatching(
          /^import [0-9a-f-]{36} completed: 5 rows read, 0 new, 0 amended, 3 unchanged, 2 rejected$/,
        ),
        `full report of the 2 rejected rows: ${report}`,
      ]);
    });
  });
});
