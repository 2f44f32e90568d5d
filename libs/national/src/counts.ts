// Adding force returns together: every table of the force return (A, B, C) summed cell by cell, with
// percentages and table B's summary recomputed from the sums (never averaged). Pure.
import {
  COUNTING_UNIT,
  TABLE_B_COUNTING_UNIT,
  summariseTableB,
  type AgeBand,
  type TableA,
  type TableARow,
  type TableB,
  type TableBRow,
  type TableC,
  type TableCRemoval,
} from '#libs/returns';
import type { ReturnCounts, SourceMark } from './national.types.js';

// Byte order, as the return SQL's COLLATE "C": the same for every locale.
export const byteOrder = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

// yes / total × 100 to 1 d.p., half away from zero, as PostgreSQL's round(numeric) in the return SQL.
// (1000 × n) / d is exact whenever it ends in .5, so Math.round sees the true tie.
export function percent(n: number, d: number): number | null {
  return d === 0 ? null : Math.round((1000 * n) / d) / 10;
}

const BANDS: readonly AgeBand[] = ['0-4', '5-9', '10-12', '13-15', '16-17', 'unknown'];
export const AGE_BANDS = BANDS;

export function bandOfAge(age: number | null): AgeBand {
  if (age === null) return 'unknown';
  return age <= 4 ? '0-4' : age <= 9 ? '5-9' : age <= 12 ? '10-12' : age <= 15 ? '13-15' : '16-17';
}

// The 26 fixed rows of table B: ages 0-17 and unknown (internal), the six bands, the total.
export function tableBTemplate(): TableBRow[] {
  const zero = { female: 0, male: 0, unknownSex: 0, total: 0, rapes: 0 };
  const ages: TableBRow[] = [...Array.from({ length: 18 }, (_, a) => a), null].map((age) => ({
    level: 'age',
    band: bandOfAge(age),
    age,
    ...zero,
  }));
  const bands: TableBRow[] = BANDS.map((band) => ({ level: 'band', band, age: null, ...zero }));
  return [...ages, ...bands, { level: 'total', band: null, age: null, ...zero }];
}

interface OffenceCell {
  group: string;
  subgroup: string | null;
  code: string;
  name: string | null;
  sexualOffence: boolean | null;
  yes: number;
  no: number;
  unknown: number;
}

// Builds table A (offence rows, a subtotal per group, the grand total) from per-code counts.
export function buildTableA(cells: Iterable<OffenceCell>): TableA {
  const byGroup = new Map<string, OffenceCell[]>();
  for (const c of cells) byGroup.set(c.group, [...(byGroup.get(c.group) ?? []), c]);
  const rows: TableARow[] = [];
  const row = (
    level: TableARow['level'],
    head: Partial<TableARow>,
    yes: number,
    no: number,
    unknown: number,
  ): TableARow => {
    const total = yes + no + unknown;
    return {
      level,
      group: null,
      subgroup: null,
      offenceCode: null,
      offenceName: null,
      sexualOffence: null,
      ...head,
      flagYes: yes,
      flagNo: no,
      flagUnknown: unknown,
      total,
      pctFlagged: percent(yes, total),
    };
  };
  const sum = (list: OffenceCell[], k: 'yes' | 'no' | 'unknown') =>
    list.reduce((s, c) => s + c[k], 0);
  for (const group of [...byGroup.keys()].sort(byteOrder)) {
    const list = byGroup.get(group)!.sort((x, y) => byteOrder(x.code, y.code));
    for (const c of list) {
      rows.push(
        row(
          'offence',
          {
            group,
            subgroup: c.subgroup,
            offenceCode: c.code,
            offenceName: c.name,
            sexualOffence: c.sexualOffence,
          },
          c.yes,
          c.no,
          c.unknown,
        ),
      );
    }
    rows.push(row('group', { group }, sum(list, 'yes'), sum(list, 'no'), sum(list, 'unknown')));
  }
  const all = [...byGroup.values()].flat();
  rows.push(row('total', {}, sum(all, 'yes'), sum(all, 'no'), sum(all, 'unknown')));
  return { countingUnit: COUNTING_UNIT, rows };
}

function sumTableA(tables: readonly TableA[]): TableA {
  const cells = new Map<string, OffenceCell>();
  for (const t of tables) {
    for (const r of t.rows) {
      if (r.level !== 'offence' || r.offenceCode === null) continue;
      const c = cells.get(r.offenceCode) ?? {
        group: r.group ?? '',
        subgroup: r.subgroup,
        code: r.offenceCode,
        name: r.offenceName,
        sexualOffence: r.sexualOffence,
        yes: 0,
        no: 0,
        unknown: 0,
      };
      c.yes += r.flagYes;
      c.no += r.flagNo;
      c.unknown += r.flagUnknown;
      cells.set(r.offenceCode, c);
    }
  }
  return buildTableA(cells.values());
}

const bKey = (r: TableBRow) => `${r.level}|${r.band ?? ''}|${r.age ?? ''}`;

function sumTableB(tables: readonly TableB[]): TableB {
  const rows = tableBTemplate();
  const index = new Map(rows.map((r, i) => [bKey(r), i]));
  for (const t of tables) {
    for (const r of t.rows) {
      const i = index.get(bKey(r));
      if (i === undefined) throw new RangeError(`table B row ${bKey(r)} is not a known row`);
      const target = rows[i]!;
      target.female += r.female;
      target.male += r.male;
      target.unknownSex += r.unknownSex;
      target.total += r.total;
      target.rapes += r.rapes;
    }
  }
  return { countingUnit: TABLE_B_COUNTING_UNIT, rows, summary: summariseTableB(rows) };
}

function sumTableC(tables: readonly TableC[]): TableC {
  const q = {
    counted: 0,
    recordedWithin24h: 0,
    unknownVictimAge: 0,
    unknownVictimSex: 0,
    drafts: 0,
    draftsUnknownFlag: 0,
    draftsUnknownVictimAge: 0,
  };
  const changes = new Map<'no-to-yes' | 'yes-to-no', { changes: number; records: number }>([
    ['no-to-yes', { changes: 0, records: 0 }],
    ['yes-to-no', { changes: 0, records: 0 }],
  ]);
  const removals = new Map<string, TableCRemoval>();
  const warnings = new Map<string, { records: number; onlineFlagged: number }>();
  for (const t of tables) {
    for (const k of Object.keys(q) as (keyof typeof q)[]) q[k] += t.quality[k];
    for (const f of t.flagChanges) {
      const c = changes.get(f.direction)!;
      c.changes += f.changes;
      c.records += f.records; // a record belongs to one force, so distinct counts add up
    }
    for (const r of t.removals) {
      if (r.level !== 'category') continue;
      addRemoval(removals, r.status!, r.category!, r.onlineFlagged, r.notOnlineFlagged);
    }
    for (const w of t.ruleWarnings) {
      const c = warnings.get(w.ruleCode) ?? { records: 0, onlineFlagged: 0 };
      c.records += w.records;
      c.onlineFlagged += w.onlineFlagged;
      warnings.set(w.ruleCode, c);
    }
  }
  return {
    countingUnit: COUNTING_UNIT,
    quality: { ...q, pctRecordedWithin24h: percent(q.recordedWithin24h, q.counted) },
    flagChanges: [...changes].map(([direction, c]) => ({ direction, ...c })),
    removals: removalRows(removals),
    ruleWarnings: [...warnings.keys()]
      .sort(byteOrder)
      .map((ruleCode) => ({ ruleCode, ...warnings.get(ruleCode)! })),
  };
}

export function addRemoval(
  map: Map<string, TableCRemoval>,
  status: 'cancelled' | 'transferred',
  category: string,
  online: number,
  notOnline: number,
): void {
  const key = `${status}|${category}`;
  const r = map.get(key) ?? {
    level: 'category',
    status,
    category,
    onlineFlagged: 0,
    notOnlineFlagged: 0,
    total: 0,
  };
  r.onlineFlagged += online;
  r.notOnlineFlagged += notOnline;
  r.total += online + notOnline;
  map.set(key, r);
}

// Category rows by status then category (byte order), then the total row, which is always there.
export function removalRows(map: Map<string, TableCRemoval>): TableCRemoval[] {
  const rows = [...map.values()].sort(
    (a, b) => byteOrder(a.status!, b.status!) || byteOrder(a.category!, b.category!),
  );
  const total = (k: 'onlineFlagged' | 'notOnlineFlagged' | 'total') =>
    rows.reduce((s, r) => s + r[k], 0);
  return [
    ...rows,
    {
      level: 'total',
      status: null,
      category: null,
      onlineFlagged: total('onlineFlagged'),
      notOnlineFlagged: total('notOnlineFlagged'),
      total: total('total'),
    },
  ];
}

export function sumCounts(list: readonly ReturnCounts[]): ReturnCounts {
  return {
    tableA: sumTableA(list.map((c) => c.tableA)),
    tableB: sumTableB(list.map((c) => c.tableB)),
    tableC: sumTableC(list.map((c) => c.tableC)),
  };
}

export function sumSources(list: readonly SourceMark[]): SourceMark {
  let max: string | null = null;
  // ISO instants in one format compare as text.
  for (const s of list)
    if (s.maxUpdatedAt !== null && (max === null || s.maxUpdatedAt > max)) max = s.maxUpdatedAt;
  return {
    recordCount: list.reduce((n, s) => n + s.recordCount, 0),
    versionSum: list.reduce((n, s) => n + s.versionSum, 0),
    maxUpdatedAt: max,
  };
}
