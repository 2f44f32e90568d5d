// The arithmetic behind return rule CF-RET-003: every total adds up, table A covers table B, and
// the tables account for every record of the force-year. Pure, so it can check a stored snapshot.
import type { ForceReturnTables, TableARow, TableBRow } from './return-tables.js';

export interface SumCheckFailure {
  check: string; // which identity, e.g. 'A.group = sum(offences)'
  where: string; // the row or cell concerned
  expected: number; // what the parts add up to (or the bound)
  actual: number; // what the table says
}

const A_COLUMNS = ['flagYes', 'flagNo', 'flagUnknown', 'total'] as const;
const B_COLUMNS = ['female', 'male', 'unknownSex', 'total', 'rapes'] as const;

export function sumChecks(t: ForceReturnTables): SumCheckFailure[] {
  const out: SumCheckFailure[] = [];
  const eq = (check: string, where: string, expected: number, actual: number) => {
    if (expected !== actual) out.push({ check, where, expected, actual });
  };
  const a = t.tableA.rows;
  const aOffences = a.filter((r) => r.level === 'offence');
  const aGroups = a.filter((r) => r.level === 'group');
  const aTotal = a.find((r) => r.level === 'total');
  const b = t.tableB.rows;
  const bTotal = b.find((r) => r.level === 'total');
  const bBands = b.filter((r) => r.level === 'band');

  for (const r of a)
    eq('A.yes+no+unknown = total', label(r), r.flagYes + r.flagNo + r.flagUnknown, r.total);
  for (const g of aGroups) {
    const parts = aOffences.filter((r) => r.group === g.group);
    for (const col of A_COLUMNS)
      eq('A.group = sum(offences)', `${label(g)}.${col}`, sum(parts, col), g[col]);
  }
  for (const col of A_COLUMNS)
    eq('A.total = sum(groups)', `total.${col}`, sum(aGroups, col), aTotal?.[col] ?? Number.NaN);

  for (const r of b)
    eq('B.female+male+unknown = total', bLabel(r), r.female + r.male + r.unknownSex, r.total);
  for (const band of bBands) {
    const parts = b.filter((r) => r.level === 'age' && r.band === band.band);
    for (const col of B_COLUMNS)
      eq('B.band = sum(ages)', `${bLabel(band)}.${col}`, sum(parts, col), band[col]);
  }
  for (const col of B_COLUMNS)
    eq('B.total = sum(bands)', `total.${col}`, sum(bBands, col), bTotal?.[col] ?? Number.NaN);
  eq('B.summary = B.total', 'summary.total', bTotal?.total ?? Number.NaN, t.tableB.summary.total);
  eq('B.summary = B.total', 'summary.rapes', bTotal?.rapes ?? Number.NaN, t.tableB.summary.rapes);

  // Every B crime is an online-flagged sexual offence counted in A.
  const aSexualYes = sum(
    aOffences.filter((r) => r.sexualOffence === true),
    'flagYes',
  );
  if (aSexualYes < (bTotal?.total ?? 0)) {
    out.push({
      check: 'A.sexual offences flagged yes >= B.total',
      where: 'B.total',
      expected: aSexualYes,
      actual: bTotal?.total ?? 0,
    });
  }

  // The tables against the records: counted, drafts and removed records make up the force-year.
  const c = t.tableC;
  const removed = c.removals.find((r) => r.level === 'total')?.total ?? 0;
  eq('A.total = C.counted', 'C.quality.counted', aTotal?.total ?? Number.NaN, c.quality.counted);
  eq(
    'A.total + C.drafts + C.removed = records of the year',
    'metadata.source.recordCount',
    (aTotal?.total ?? Number.NaN) + c.quality.drafts + removed,
    t.metadata.source.recordCount,
  );
  const removalRows = c.removals.filter((r) => r.level === 'category');
  for (const col of ['onlineFlagged', 'notOnlineFlagged', 'total'] as const) {
    eq(
      'C.removed total = sum(categories)',
      `removals.total.${col}`,
      sum(removalRows, col),
      c.removals.find((r) => r.level === 'total')?.[col] ?? 0,
    );
  }
  return out;
}

function sum<T, K extends keyof T>(rows: readonly T[], col: K): number {
  return rows.reduce((s, r) => s + (r[col] as number), 0);
}

function label(r: TableARow): string {
  if (r.level === 'offence') return `offence ${r.offenceCode}`;
  return r.level === 'group' ? `group ${r.group}` : 'total';
}

function bLabel(r: TableBRow): string {
  if (r.level === 'age') return `age ${r.age ?? 'unknown'}`;
  return r.level === 'band' ? `band ${r.band}` : 'total';
}
