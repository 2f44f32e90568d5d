import { spawn } from 'node:child_process';
import pg from 'pg';
import { pgQueryable, type Queryable } from '#libs/persistence';
import { insertRecords, seedReturn } from '#libs/national/testing';
import { main as cli } from '../apps/api/src/cli/commands.js';
import { testAppDatabaseUrl, testDatabaseUrl } from './support/create-test-app.js';
import { CLI_JS, collect, runCli } from './support/cli-process.js';

// `cyberflag national` and `cyberflag return` as tables. Data (written as the owner, bypassing the API's date rule, in a future
// year, 2033-34):
// cumbria and gwent accepted (revision 1), essex records but no return.
const YEAR = 2033;

describe('CLI tables', () => {
  let pool: pg.Pool;
  let owner: Queryable;
  let saved: string | undefined;

  beforeAll(async () => {
    saved = process.env.DATABASE_URL;
    process.env.DATABASE_URL = testDatabaseUrl();
    process.env.DATABASE_APP_URL = testAppDatabaseUrl();
    pool = new pg.Pool({ connectionString: testDatabaseUrl(), max: 2 });
    owner = pgQueryable(pool);
    await insertRecords(owner, 'cumbria', YEAR, [
      { code: '88A', flag: 'yes', age: 13, times: 2 },
      { code: '19E', flag: 'yes', age: 11 },
      { code: '8L', flag: 'no', age: 30, times: 3 },
    ]);
    await seedReturn(owner, 'cumbria', YEAR, 'accepted');
    await insertRecords(owner, 'gwent', YEAR, [{ code: '8L', flag: 'yes', age: 40, times: 4 }]);
    await seedReturn(owner, 'gwent', YEAR, 'accepted');
    await insertRecords(owner, 'essex', YEAR, [{ code: '8L', flag: 'no', age: 25, times: 2 }]);
  });
  afterAll(async () => {
    process.env.DATABASE_URL = saved;
    await pool.end();
  });

  const run = async (args: string[]) => {
    const lines: string[] = [];
    const code = await cli(args, (l) => lines.push(l));
    return { code, lines };
  };
  const env = () => ({
    ...process.env,
    DATABASE_URL: testDatabaseUrl(),
    DATABASE_APP_URL: testAppDatabaseUrl(),
    NO_COLOR: '1',
  });

  it('national: England and Wales, each region and every force of the year, with coverage and status', async () => {
    const { code, lines } = await run(['national', '2033-34', '--format', 'table']);
    expect(code).toBe(0);
    expect(lines[0]).toBe(
      'National return 2033-34, accepted basis: 2 of 44 forces (expected 44, received 2, accepted 2, included 2)',
    );
    expect(lines[1]).toMatch(
      /^period 2033-04-01 to 2034-03-31 \(365 days\); generated \d{4}-\d\d-\d\dT[\d:.]+Z; unsuppressed figures: publish through a publication$/,
    );
    const row = (name: string) => lines.find((l) => l.trimStart().startsWith(`${name}  `));
    expect([lines[3], lines[4]]).toEqual([
      'area                                coverage        status        crimes  online  % online  child sexual  rapes  under 10  youngest  modal age  child sexual/day',
      '----------------------------------  --------------  ------------  ------  ------  --------  ------------  -----  --------  --------  ---------  ----------------',
    ]);
    expect([
      row('England and Wales'),
      row('North West'),
      row('Cumbria Constabulary'),
      row('Wales'),
      row('Gwent Police'),
      row('East of England'),
      row('Essex Police'),
    ]).toEqual([
      'England and Wales                   2 of 44 forces                    10       7        70             3      1         0        11         13                 0',
      '  North West                        1 of 5 forces                      6       3        50             3      1         0        11         13                 0',
      '    Cumbria Constabulary            1 of 1 forces   included           6       3        50             3      1         0        11         13                 0',
      '  Wales                             1 of 4 forces                      4       4       100             0      0         0                                      0',
      '    Gwent Police                    1 of 1 forces   included           4       4       100             0      0         0                                      0',
      '  East of England                   0 of 6 forces                      0       0                       0      0         0                                      0',
      '    Essex Police                                    not received',
    ]);
    // 2 heading lines, a blank, header and rule, 1 + 11 regions + 44 forces, a blank and 2 legend lines.
    expect(lines).toHaveLength(2 + 1 + 2 + 1 + 11 + 44 + 1 + 2);
  });

  it('return: a force revision as tables A, B and C, logged as a disclosure shown as a table', async () => {
    const [{ sha256 }] = await owner.query<{ sha256: string }>(
      `SELECT sha256 FROM return_revisions WHERE force_id = 'cumbria' AND financial_year = $1`,
      [YEAR],
    );
    const { code, lines } = await run([
      'return',
      'cumbria',
      '2033-34',
      '--format',
      'table',
      '--revision',
      '1',
    ]);
    expect(code).toBe(0);
    expect(lines).toEqual([
      `Cumbria Constabulary (North West), 2033-34: revision 1 (sha256 ${sha256!.slice(0, 12)}…, verified)`,
      'period 2033-04-01 to 2034-03-31 (365 days); 6 records; counting rules test; generated 2034-05-01T00:00:00.000Z',
      '',
      'Table A: offences by online flag (crimes; one crime per victim)',
      'offence                                 online  not online  unknown  total  % online',
      '--------------------------------------  ------  ----------  -------  -----  --------',
      '  19E Rape of a female child under 13        1           0        0      1       100',
      '  88A Sexual grooming                        2           0        0      2       100',
      'sexual offences (subtotal)                   3           0        0      3       100',
      '  8L Harassment                              0           3        0      3         0',
      'violence against the person (subtotal)       0           3        0      3         0',
      'Total                                        3           3        0      6        50',
      '',
      'Table B: child sexual offences by victim age band and sex (offences (crimes; one crime per victim per offence), not children: a child victim of two offences is counted twice)',
      'age band  female  male  unknown sex  total  rapes',
      '--------  ------  ----  -----------  -----  -----',
      '0-4            0     0            0      0      0',
      '5-9            0     0            0      0      0',
      '10-12          1     0            0      1      1',
      '13-15          2     0            0      2      0',
      '16-17          0     0            0      0      0',
      'unknown        0     0            0      0      0',
      'Total          3     0            0      3      1',
      'youngest age 11; modal age 13; under ten 0',
      '',
      'Table C: recording quality (crimes; one crime per victim)',
      'section       key        measure                 value',
      '------------  ---------  ----------------------  -----',
      // the snapshot's order (stored as jsonb)
      'quality                  drafts                      0',
      'quality                  counted                     6',
      'quality                  unknownVictimAge            0',
      'quality                  unknownVictimSex            0',
      'quality                  draftsUnknownFlag           0',
      'quality                  recordedWithin24h           6',
      'quality                  pctRecordedWithin24h      100',
      'quality                  draftsUnknownVictimAge      0',
      'flag_changes  no-to-yes  changes                     0',
      'flag_changes  no-to-yes  records                     0',
      'flag_changes  yes-to-no  changes                     0',
      'flag_changes  yes-to-no  records                     0',
      'removals      total      online_flagged              0',
      'removals      total      not_online_flagged          0',
      'removals      total      total                       0',
    ]);
    const [entry] = await owner.query<{ query: Record<string, unknown> }>(
      `SELECT query FROM access_log WHERE route = 'CLI return export' AND action = 'disclosure' AND force_ids = '{cumbria}' ORDER BY seq DESC LIMIT 1`,
    );
    expect(entry!.query).toMatchObject({
      return: 'cumbria',
      year: '2033-34',
      format: 'table',
      revision: 1,
      file: null,
      recordsAggregated: 6,
    });
  });

  it('chooses a table on a terminal, and keeps the machine format when piped', async () => {
    // A pseudo-terminal through script(1), as an operator's shell gives.
    const tty = await collect(
      spawn('script', ['-qec', `${process.execPath} ${CLI_JS} national 2033-34`, '/dev/null'], {
        env: env(),
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    ).exited;
    expect(tty.code).toBe(0);
    expect(tty.stdout.split('\r\n')[0]).toBe(
      'National return 2033-34, accepted basis: 2 of 44 forces (expected 44, received 2, accepted 2, included 2)',
    );
    const piped = await runCli(['national', '2033-34'], env());
    expect(piped.code).toBe(0);
    expect(JSON.parse(piped.stdout).metadata.coverage.text).toBe('2 of 44 forces');
    // return: on a terminal the table; piped, --format stays required.
    const ttyReturn = await collect(
      spawn(
        'script',
        ['-qec', `${process.execPath} ${CLI_JS} return gwent 2033-34 --revision 1`, '/dev/null'],
        { env: env(), stdio: ['ignore', 'pipe', 'pipe'] },
      ),
    ).exited;
    expect(ttyReturn.code).toBe(0);
    expect(ttyReturn.stdout.split('\r\n')[0]).toMatch(
      /^Gwent Police \(Wales\), 2033-34: revision 1 \(sha256 [0-9a-f]{12}…, verified\)$/,
    );
    const pipedReturn = await runCli(['return', 'gwent', '2033-34', '--revision', '1'], env());
    expect(pipedReturn.code).toBe(1);
    expect(pipedReturn.stderr).toContain(
      'cyberflag: --format must be one of table, json, csv, xlsx',
    );
    const json = await runCli(
      ['return', 'gwent', '2033-34', '--revision', '1', '--format', 'json', '--out', '-'],
      env(),
    );
    expect(JSON.parse(json.stdout).tableA.rows.at(-1)).toMatchObject({
      level: 'total',
      total: 4,
      flagYes: 4,
    });
  }, 120_000);
});
