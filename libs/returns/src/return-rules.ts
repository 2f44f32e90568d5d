// Return-level validation before submission (domain.md §15 "validation before submission"), coded
// like the record rules: a stable code, a severity, a reference. Each check returns null when it
// holds, or a finding listing the records concerned (the first maxRecords, with the full count).
import {
  evaluateCrime,
  financialYearPeriod,
  formatFinancialYear,
  partitionFindings,
  type CrimeFacts,
  type FinancialYearPeriod,
  type RuleContext,
} from '#libs/recording-rules';
import {
  queryCountedRecordsPage,
  type CountedRecordRow,
} from './queries/counted-records-page.query.js';
import { queryRecordedOutsidePeriod } from './queries/recorded-outside-period.query.js';
import { queryUnknownFlags } from './queries/unknown-flags.query.js';
import type { Queryable } from '#libs/persistence';
import type { ForceYear } from './force-year.js';
import type { ForceReturnTables } from './return-tables.js';
import { sumChecks, type SumCheckFailure } from './sum-checks.js';

export type ReturnRuleCode = 'CF-RET-001' | 'CF-RET-002' | 'CF-RET-003' | 'CF-RET-004';

export interface ReturnRule {
  code: ReturnRuleCode;
  severity: 'block'; // every return rule blocks submission
  message: string;
  reference: string;
}

export const RETURN_RULES: readonly ReturnRule[] = [
  {
    code: 'CF-RET-001',
    severity: 'block',
    message:
      'Every counted record passes its blocking record rules (R1-R8 and the rest, as configured)',
    reference: 'domain.md §15 validation; §14 R1-R8',
  },
  {
    code: 'CF-RET-002',
    severity: 'block',
    message: "No record recorded in the year still has an 'unknown' online flag",
    reference: 'domain.md §15 validation; §14 R12',
  },
  {
    code: 'CF-RET-003',
    severity: 'block',
    message:
      'The tables add up: rows to totals, table A against table B, the tables against the records',
    reference: 'domain.md §15 validation (sum checks between tables A and B)',
  },
  {
    code: 'CF-RET-004',
    severity: 'block',
    message: 'Every counted record has its recorded date inside the financial year',
    reference: 'domain.md §15 validation (period check); §9; §14 R27',
  },
];

export interface ReturnRecordRef {
  crimeId: string;
  crimeReference: string;
  details?: Record<string, unknown>;
}

// A finding's message says what is wrong in this return ('3 drafts in 2015-16 still have an unknown
// online flag'); the rule's general statement stays in RETURN_RULES (and GET /rules-style listings).
export interface ReturnFinding extends ReturnRule {
  recordCount: number; // all records concerned
  records: ReturnRecordRef[]; // the first maxRecords of them, by crime reference
  truncated: boolean;
  details?: Record<string, unknown>;
}

export const DEFAULT_MAX_RECORDS = 1000;
const PAGE_SIZE = 5000;

export interface ReturnRulesInput extends ForceYear {
  ruleContext: RuleContext;
  tables: ForceReturnTables; // computed for the same force and year
  maxRecords?: number;
}

// All four rules; only the violations, in rule-code order. An empty list means "may submit".
export async function evaluateReturn(
  db: Queryable,
  input: ReturnRulesInput,
): Promise<ReturnFinding[]> {
  const { tables } = input;
  if (tables.metadata.force.id !== input.forceId || tables.metadata.year.startYear !== input.year) {
    throw new RangeError('evaluateReturn: the tables are for another force or year');
  }
  const findings = [
    await checkRecordsPassRules(db, input),
    await checkNoUnknownFlags(db, input),
    checkTableSums(tables),
    await checkRecordedInPeriod(db, input),
  ];
  return findings.filter((f): f is ReturnFinding => f !== null);
}

// CF-RET-001: re-run the record rules, as configured now, on every counted record. Blocking means
// what would refuse a save: 'block' findings, and 'confirm' findings the record has not acknowledged.
export async function checkRecordsPassRules(
  db: Queryable,
  p: ForceYear & { ruleContext: RuleContext; maxRecords?: number },
): Promise<ReturnFinding | null> {
  const max = p.maxRecords ?? DEFAULT_MAX_RECORDS;
  const records: ReturnRecordRef[] = [];
  const byRule: Record<string, number> = {};
  let count = 0;
  let after = '';
  for (;;) {
    const page = await queryCountedRecordsPage(db, {
      forceId: p.forceId,
      year: p.year,
      after,
      pageSize: PAGE_SIZE,
    });
    for (const row of page) {
      const { blocking, unacknowledged } = partitionFindings(
        evaluateCrime(toFacts(row), p.ruleContext),
        row.acknowledged_rules,
      );
      const ruleCodes = [...new Set([...blocking, ...unacknowledged].map((f) => f.code))].sort();
      if (ruleCodes.length === 0) continue;
      count++;
      for (const code of ruleCodes) byRule[code] = (byRule[code] ?? 0) + 1;
      if (records.length < max)
        records.push({
          crimeId: row.crime_id,
          crimeReference: row.crime_reference,
          details: { ruleCodes },
        });
    }
    if (page.length < PAGE_SIZE) break;
    after = page[page.length - 1].crime_reference;
  }
  if (count === 0) return null;
  const rules = Object.entries(sortKeys(byRule))
    .map(([code, n]) => `${code}: ${n}`)
    .join(', ');
  const message = `${plural(count, 'counted record')} in ${formatFinancialYear(p.year)} ${count === 1 ? 'fails' : 'fail'} blocking record rules (${rules})`;
  return finding('CF-RET-001', count, records, { byRule: sortKeys(byRule) }, message);
}

// CF-RET-002: drafts with an unknown online flag block submission (R12).
export async function checkNoUnknownFlags(
  db: Queryable,
  p: ForceYear & { maxRecords?: number },
): Promise<ReturnFinding | null> {
  const rows = await queryUnknownFlags(db, {
    forceId: p.forceId,
    year: p.year,
    limit: p.maxRecords ?? DEFAULT_MAX_RECORDS,
  });
  if (rows.length === 0) return null;
  const n = rows[0].total_count;
  // Only a draft can hold 'unknown' (R12, ck_crimes_flag_known), so these are drafts.
  const message = `${plural(n, 'draft')} in ${formatFinancialYear(p.year)} still ${n === 1 ? 'has' : 'have'} an unknown online flag: finish or remove ${n === 1 ? 'it' : 'them'} before submitting`;
  return finding(
    'CF-RET-002',
    n,
    rows.map((r) => ({
      crimeId: r.crime_id,
      crimeReference: r.crime_reference,
      details: { status: r.status },
    })),
    undefined,
    message,
  );
}

// CF-RET-003: the tables are consistent with each other. Table-level: no records to list.
export function checkTableSums(tables: ForceReturnTables): ReturnFinding | null {
  const failures: SumCheckFailure[] = sumChecks(tables);
  if (failures.length === 0) return null;
  return finding(
    'CF-RET-003',
    0,
    [],
    { failures },
    `${failures.length} ${failures.length === 1 ? 'sum check fails' : 'sum checks fail'}: the tables do not add up`,
  );
}

// CF-RET-004: each counted record's recorded_at lies in the period. The period defaults to the
// year's (financialYearPeriod); passing another one is for tests of the check itself.
export async function checkRecordedInPeriod(
  db: Queryable,
  p: ForceYear & { period?: FinancialYearPeriod; maxRecords?: number },
): Promise<ReturnFinding | null> {
  const period = p.period ?? financialYearPeriod(p.year);
  const rows = await queryRecordedOutsidePeriod(db, {
    forceId: p.forceId,
    year: p.year,
    periodStart: period.start,
    periodEnd: period.end,
    limit: p.maxRecords ?? DEFAULT_MAX_RECORDS,
  });
  if (rows.length === 0) return null;
  const n = rows[0].total_count;
  return finding(
    'CF-RET-004',
    n,
    rows.map((r) => ({
      crimeId: r.crime_id,
      crimeReference: r.crime_reference,
      details: { recordedAt: r.recorded_at },
    })),
    { periodStart: period.start.toISOString(), periodEnd: period.end.toISOString() },
    `${plural(n, 'counted record')} of ${formatFinancialYear(p.year)} ${n === 1 ? 'has its' : 'have their'} recorded date outside the year`,
  );
}

// The codes of the failing return rules for the lifecycle's `actions`, cheapest first, stopping at the
// first failure: a GET need not re-run every record's rules (CF-RET-001) to know that a draft with an
// unknown flag blocks submission. GET …/validation (evaluateReturn) lists them all.
export async function firstBlockingReturnRule(
  db: Queryable,
  input: ReturnRulesInput,
): Promise<ReturnRuleCode[]> {
  const p = { ...input, maxRecords: 1 };
  const checks: (() => Promise<ReturnFinding | null> | ReturnFinding | null)[] = [
    () => checkTableSums(input.tables),
    () => checkNoUnknownFlags(db, p),
    () => checkRecordedInPeriod(db, p),
    () => checkRecordsPassRules(db, p),
  ];
  for (const check of checks) {
    const f = await check();
    if (f) return [f.code];
  }
  return [];
}

function finding(
  code: ReturnRuleCode,
  recordCount: number,
  records: ReturnRecordRef[],
  details: Record<string, unknown> | undefined,
  message: string,
): ReturnFinding {
  const rule = RETURN_RULES.find((r) => r.code === code);
  if (!rule) throw new Error(`unknown return rule ${code}`);
  return {
    ...rule,
    message,
    recordCount,
    records,
    truncated: recordCount > records.length,
    ...(details && { details }),
  };
}

// '1 draft', '3 drafts'
function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function toFacts(r: CountedRecordRow): CrimeFacts {
  return {
    forceId: r.force_id,
    crimeReference: r.crime_reference,
    offenceCode: r.offence_code,
    reportedAt: new Date(r.reported_at),
    recordedAt: new Date(r.recorded_at),
    offenceFrom: new Date(r.offence_from),
    offenceTo: r.offence_to === null ? null : new Date(r.offence_to),
    onlineFlag: r.online_flag,
    onlineMethod: r.online_method,
    onlinePlatform: r.online_platform,
    victimAge: r.victim_age,
    victimSex: r.victim_sex,
    suspectAge: r.suspect_age,
    domesticAbuse: r.domestic_abuse,
    hateStrands: r.hate_strands,
    childSexualExploitation: r.child_sexual_exploitation,
    childSexualAbuse: r.child_sexual_abuse,
    status: r.status,
  };
}

function sortKeys(o: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
