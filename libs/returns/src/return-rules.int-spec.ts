import pg from 'pg';
import { Catalogue } from '#libs/catalogue';
import { defaultRulesConfig, financialYearPeriod, type RuleContext } from '#libs/recording-rules';
import { computeReturn } from './compute-return.js';
import { pgQueryable, type Queryable } from '#libs/persistence';
import type { ForceReturnTables } from './return-tables.js';
import {
  checkNoUnknownFlags,
  checkRecordedInPeriod,
  checkRecordsPassRules,
  checkTableSums,
  evaluateReturn,
} from './return-rules.js';
import { insertCrime, type CrimeInput } from './testing/insert-records.js';

// Dorset 2016-17. Written straight to the database, so records can break
// rules the services would have refused (as a rule change or a bulk import can leave them).
const dorset = (
  ref: string,
  code: string,
  flag: CrimeInput['flag'],
  age: number | null,
  extra: Partial<CrimeInput> = {},
): CrimeInput => ({
  force: 'dorset',
  ref,
  code,
  recordedAt: '2016-05-01T10:00:00Z',
  flag,
  age,
  sex: 'female',
  ...extra,
});
const DATASET: CrimeInput[] = [
  dorset('DOR-R1', '19E', 'yes', 14), // CF-AGE-001 (block): 19E needs a victim under 13
  dorset('DOR-R2', '19D', 'yes', 12), // CF-AGE-005 (confirm), not acknowledged
  dorset('DOR-R3', '19D', 'yes', 12, { acknowledged: ['CF-AGE-005'] }), // acknowledged: passes
  dorset('DOR-R4', '8L', 'unknown', 30, { status: 'draft' }), // CF-RET-002
  dorset('DOR-R5', '8L', 'yes', 30, { status: 'draft' }),
  dorset('DOR-R6', '8L', 'yes', 30),
  // 31 March 2017 23:59 BST: the last minute of 2016-17.
  dorset('DOR-R7', '8L', 'yes', 30, {
    recordedAt: '2017-03-31T22:59:00Z',
    reportedAt: '2017-03-31T22:00:00Z',
  }),
];

describe('return rules (real PostgreSQL)', () => {
  const client = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
  const catalogue = new Catalogue();
  const ruleContext: RuleContext = {
    offence: (c) => catalogue.offence(c),
    force: (id) => catalogue.force(id),
    config: defaultRulesConfig,
  };
  const p = { forceId: 'dorset', year: 2016 };
  let db: Queryable;
  let tables: ForceReturnTables;
  const ref = (crimeReference: string) => ({
    crimeReference,
    crimeId: expect.any(String) as unknown,
  });

  beforeAll(async () => {
    await client.connect();
    db = pgQueryable(client);
    for (const c of DATASET) await insertCrime(db, c);
    tables = await computeReturn(db, {
      ...p,
      countingRulesVersion: 'test',
      generatedAt: new Date('2017-05-01T00:00:00Z'),
    });
  });
  afterAll(async () => {
    await client.end();
  });

  it('CF-RET-001 lists counted records failing a blocking rule or an unacknowledged confirm rule', async () => {
    const finding = await checkRecordsPassRules(db, { ...p, ruleContext });
    expect(finding).toMatchObject({
      code: 'CF-RET-001',
      severity: 'block',
      recordCount: 2,
      truncated: false,
      records: [
        { ...ref('DOR-R1'), details: { ruleCodes: ['CF-AGE-001'] } },
        { ...ref('DOR-R2'), details: { ruleCodes: ['CF-AGE-005'] } },
      ],
      details: { byRule: { 'CF-AGE-001': 1, 'CF-AGE-005': 1 } },
    });
    expect(finding?.records).toHaveLength(2);
  });

  it('CF-RET-001 caps the list and keeps the full count', async () => {
    const finding = await checkRecordsPassRules(db, { ...p, ruleContext, maxRecords: 1 });
    expect(finding).toMatchObject({ recordCount: 2, truncated: true, records: [ref('DOR-R1')] });
    expect(finding?.records).toHaveLength(1);
  });

  it('CF-RET-002 blocks on a draft whose online flag is still unknown', async () => {
    const finding = await checkNoUnknownFlags(db, p);
    expect(finding).toMatchObject({
      code: 'CF-RET-002',
      recordCount: 1,
      records: [{ ...ref('DOR-R4'), details: { status: 'draft' } }],
    });
    expect(finding?.records).toHaveLength(1);
  });

  it('CF-RET-003 passes on computed tables and fails on tables that do not add up', () => {
    expect(checkTableSums(tables)).toBeNull();
    const broken = structuredClone(tables);
    const band = broken.tableB.rows.find((r) => r.level === 'band' && r.band === '13-15');
    if (!band) throw new Error('no 13-15 band');
    band.female += 1;
    band.total += 1;
    const group = broken.tableA.rows.find((r) => r.level === 'group');
    if (!group) throw new Error('no group row');
    group.flagYes += 1;
    group.total += 1;
    const finding = checkTableSums(broken);
    expect(finding).toMatchObject({ code: 'CF-RET-003', recordCount: 0, records: [] });
    expect(finding?.details?.failures).toEqual(
      expect.arrayContaining([
        // R1 (19E, aged 14) is the one crime in 13-15; R2 and R3 are in 10-12.
        { check: 'B.band = sum(ages)', where: 'band 13-15.total', expected: 1, actual: 2 },
        { check: 'B.total = sum(bands)', where: 'total.total', expected: 4, actual: 3 },
        {
          check: 'A.group = sum(offences)',
          where: `group ${group.group}.total`,
          expected: group.total - 1,
          actual: group.total,
        },
        { check: 'A.total = sum(groups)', where: 'total.flagYes', expected: 6, actual: 5 },
      ]),
    );
  });

  it('CF-RET-003 checks that table A covers table B', () => {
    const broken = structuredClone(tables);
    const total = broken.tableB.rows.find((r) => r.level === 'total');
    if (!total) throw new Error('no total');
    total.unknownSex += 10;
    total.total += 10;
    expect(checkTableSums(broken)?.details?.failures).toEqual(
      expect.arrayContaining([
        {
          check: 'A.sexual offences flagged yes >= B.total',
          where: 'B.total',
          expected: 3,
          actual: 13,
        },
      ]),
    );
  });

  it('CF-RET-004 passes with the real period, including 31 March 23:59 BST', async () => {
    await expect(checkRecordedInPeriod(db, p)).resolves.toBeNull();
  });

  it('CF-RET-004 lists records outside a period that ends a minute early', async () => {
    const real = financialYearPeriod(2016);
    const short = { ...real, end: new Date(real.end.getTime() - 60_000) };
    const finding = await checkRecordedInPeriod(db, { ...p, period: short });
    expect(finding).toMatchObject({
      code: 'CF-RET-004',
      recordCount: 1,
      records: [{ ...ref('DOR-R7'), details: { recordedAt: '2017-03-31T22:59:00.000000Z' } }],
      details: { periodStart: '2016-03-31T23:00:00.000Z', periodEnd: '2017-03-31T22:59:00.000Z' },
    });
  });

  it('CF-RET-004 lists every counted record against the wrong year, capped', async () => {
    const finding = await checkRecordedInPeriod(db, {
      ...p,
      period: financialYearPeriod(2017),
      maxRecords: 2,
    });
    expect(finding).toMatchObject({
      recordCount: 5,
      truncated: true,
      records: [ref('DOR-R1'), ref('DOR-R2')],
    });
  });

  it('evaluateReturn reports the violations in rule order', async () => {
    const findings = await evaluateReturn(db, { ...p, ruleContext, tables });
    expect(findings.map((f) => [f.code, f.recordCount])).toEqual([
      ['CF-RET-001', 2],
      ['CF-RET-002', 1],
    ]);
  });

  it('evaluateReturn refuses tables computed for another year', async () => {
    const other = await computeReturn(db, {
      forceId: 'dorset',
      year: 2017,
      countingRulesVersion: 'test',
      generatedAt: new Date(0),
    });
    await expect(evaluateReturn(db, { ...p, ruleContext, tables: other })).rejects.toThrow(
      /another force or year/,
    );
  });
});
