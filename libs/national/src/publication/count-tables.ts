// The count tables a publication is made of, built from the accepted force returns (and, for offence ×
// age band, from records shown to be those the returns were computed from), and the network that links
// them: their shared margins are the same figures, so they are protected jointly (joint-protection.ts).
import { createCountTable, type CountTable } from '#libs/disclosure';
import type { Catalogue, OffenceDefinition } from '#libs/catalogue';
import { COUNTING_UNIT, type AgeBand } from '#libs/returns';
import { AGE_BANDS, bandOfAge } from '../counts.js';
import type { ForceCounts } from '../national.types.js';
import type { NationalPeriod } from '../period.js';
import type { LinkedArc, LinkedModel } from './joint-protection.js';

export const FLAG_COLUMNS = [
  'online: child sexual offences',
  'online: other crimes',
  'not online',
] as const;
export const SEX_COLUMNS = ['female', 'male', 'unknown'] as const;

// code → victim age at the offence date (-1 = unknown) → online-flagged child sexual offences.
export type OffenceAges = ReadonlyMap<string, ReadonlyMap<number, number>>;

const BAND_LIMITS: Record<Exclude<AgeBand, 'unknown'>, [number, number]> = {
  '0-4': [0, 4],
  '5-9': [5, 9],
  '10-12': [10, 12],
  '13-15': [13, 15],
  '16-17': [16, 17],
};

// Structural zero: the catalogue's victim age limits make the combination impossible (19E, a child
// under 13, in 13-15 or 16-17). An unknown age is only counted in table B on a code that exists for
// children alone (victimAgeMax < 18), so "unknown" is impossible on every other code.
export function impossibleBand(
  o: Pick<OffenceDefinition, 'victimAgeMin' | 'victimAgeMax'>,
  band: AgeBand,
): boolean {
  if (band === 'unknown') return !(o.victimAgeMax !== null && o.victimAgeMax < 18);
  const [lo, hi] = BAND_LIMITS[band];
  return (
    (o.victimAgeMin !== null && hi < o.victimAgeMin) ||
    (o.victimAgeMax !== null && lo > o.victimAgeMax)
  );
}

// Sexual offence codes that can have a child victim and are valid during (part of) the year.
export function childOffenceRows(
  catalogue: Catalogue,
  period: NationalPeriod,
  ages: OffenceAges,
): OffenceDefinition[] {
  return catalogue
    .offences()
    .filter(
      (o) =>
        (o.sexualOffence &&
          (o.victimAgeMin === null || o.victimAgeMin <= 17) &&
          o.validFrom <= period.lastDay &&
          (o.validTo === null || o.validTo >= period.firstDay)) ||
        [...(ages.get(o.code)?.values() ?? [])].some((n) => n > 0),
    );
}

export interface CountTables {
  forceFlag: CountTable;
  forceIds: string[];
  bandSex: CountTable;
  offenceBand: CountTable | null;
  offenceGroups: string[]; // row keys of offenceBand: publication group ids (catalogue data)
  rapeRows: number[]; // rows of offenceBand whose group is rape codes only (the headline rapes)
  recordedAgainstLimits: string[]; // cells the catalogue calls impossible that hold records
}

export function buildCountTables(
  catalogue: Catalogue,
  period: NationalPeriod,
  forces: readonly ForceCounts[],
  ages: OffenceAges | null,
): CountTables {
  const sorted = [...forces].sort((a, b) => (a.forceId < b.forceId ? -1 : 1));
  const forceFlag = createCountTable({
    rowLabels: sorted.map((f) => catalogue.force(f.forceId)?.name ?? f.forceId),
    columnLabels: [...FLAG_COLUMNS],
    counts: sorted.map((f) => {
      const t = f.tableA.rows.at(-1)!;
      const cso = f.tableB.summary.total;
      if (t.flagYes < cso)
        throw new Error(
          `${f.forceId}: table B (${cso}) exceeds online-flagged crimes (${t.flagYes})`,
        );
      return [cso, t.flagYes - cso, t.flagNo + t.flagUnknown];
    }),
    countingUnit: COUNTING_UNIT,
  });
  const band = (b: AgeBand, k: 'female' | 'male' | 'unknownSex') =>
    forces.reduce(
      (s, f) => s + (f.tableB.rows.find((r) => r.level === 'band' && r.band === b)?.[k] ?? 0),
      0,
    );
  const bandSex = createCountTable({
    rowLabels: [...AGE_BANDS],
    columnLabels: [...SEX_COLUMNS],
    counts: AGE_BANDS.map((b) => [band(b, 'female'), band(b, 'male'), band(b, 'unknownSex')]),
    countingUnit: COUNTING_UNIT,
  });
  let offenceBand: CountTable | null = null;
  const offenceGroups: string[] = [];
  const rapeRows: number[] = [];
  const recordedAgainstLimits: string[] = [];
  if (ages) {
    const codes = childOffenceRows(catalogue, period, ages);
    const byCode = codes.map((o) =>
      AGE_BANDS.map((b) => {
        let n = 0;
        for (const [age, c] of ages.get(o.code) ?? [])
          if (bandOfAge(age === -1 ? null : age) === b) n += c;
        return n;
      }),
    );
    codes.forEach((o, r) =>
      AGE_BANDS.forEach((b, c) => {
        if (impossibleBand(o, b) && byCode[r]![c]! > 0)
          recordedAgainstLimits.push(`${o.code} × ${b}`);
      }),
    );
    // Rows are the catalogue's publication groups (detail by code is internal); a code in no group keeps a
    // row of its own, so nothing is dropped.
    const rows: { id: string; label: string; rape: boolean; members: number[] }[] = [];
    for (const g of catalogue.publicationGroups()) {
      const members = codes.flatMap((o, i) => (g.codes.includes(o.code) ? [i] : []));
      if (members.length > 0) rows.push({ id: g.id, label: g.name, rape: g.rape, members });
    }
    codes.forEach((o, i) => {
      if (!rows.some((r) => r.members.includes(i)))
        rows.push({ id: o.code, label: `${o.code} ${o.name}`, rape: o.rape, members: [i] });
    });
    const counts = rows.map((row) =>
      AGE_BANDS.map((_, c) => row.members.reduce((s, i) => s + byCode[i]![c]!, 0)),
    );
    offenceBand = createCountTable({
      rowLabels: rows.map((r) => r.label),
      columnLabels: [...AGE_BANDS],
      counts,
      // Impossible for every code of the group, and holding no records (those are reported instead).
      structuralZeros: (_r, _c, r, c) =>
        rows[r]!.members.every((i) => impossibleBand(codes[i]!, AGE_BANDS[c]!)) &&
        counts[r]![c] === 0,
      countingUnit: COUNTING_UNIT,
    });
    offenceGroups.push(...rows.map((r) => r.id));
    rows.forEach((r, i) => {
      if (r.rape) rapeRows.push(i);
    });
    const same = offenceBand.columnTotals.every((v, b) => v === bandSex.rowTotals[b]);
    if (!same) throw new Error('offence × age band does not add up to the returns’ age bands');
  }
  return {
    forceFlag,
    forceIds: sorted.map((f) => f.forceId),
    bandSex,
    offenceBand,
    offenceGroups,
    rapeRows,
    recordedAgainstLimits,
  };
}

// S → force (row total) → flag column (cell) → T → S (grand total). The child-sexual-offence column
// total continues into [offence group (row total) → band (cell) →] band total → sex (cell) → sex total → T:
// one circulation, in which each shared margin is one arc. The headline figures (the national total of
// child sexual offences, the bands under ten, the rape rows) are marked `keep`: never chosen as secondary
// suppressions unless nothing else protects.
const underTen = (band: number) => AGE_BANDS[band] === '0-4' || AGE_BANDS[band] === '5-9';

export function linkedModel(t: CountTables): LinkedModel {
  const F = t.forceIds.length;
  const O = t.offenceBand ? t.offenceGroups.length : 0;
  let next = 0;
  const node = () => next++;
  const S = node();
  const force = Array.from({ length: F }, node);
  const flag = FLAG_COLUMNS.map(node);
  const T = node();
  const OS = node();
  const offence = Array.from({ length: O }, node);
  const bandIn = t.offenceBand ? AGE_BANDS.map(node) : [];
  const bandOut = AGE_BANDS.map(node);
  const sex = SEX_COLUMNS.map(node);
  const Y = node();
  const arcs: LinkedArc[] = [];
  const cell = (table: string, row: number, column: number) => ({
    table,
    entry: { kind: 'cell' as const, row, column },
  });
  const rowT = (table: string, row: number) => ({
    table,
    entry: { kind: 'row-total' as const, row },
  });
  const colT = (table: string, column: number) => ({
    table,
    entry: { kind: 'column-total' as const, column },
  });
  const grand = (table: string) => ({ table, entry: { kind: 'grand-total' as const } });
  force.forEach((f, r) => {
    arcs.push({ u: S, v: f, entries: [rowT('force-by-flag', r)] });
    flag.forEach((c, j) => arcs.push({ u: f, v: c, entries: [cell('force-by-flag', r, j)] }));
  });
  arcs.push({ u: flag[1]!, v: T, entries: [colT('force-by-flag', 1)] });
  arcs.push({ u: flag[2]!, v: T, entries: [colT('force-by-flag', 2)] });
  const cso = [colT('force-by-flag', 0), grand('csa-band-by-sex')];
  if (t.offenceBand) {
    arcs.push({ u: flag[0]!, v: OS, entries: [...cso, grand('csa-offence-by-band')], keep: true });
    offence.forEach((o, r) => {
      arcs.push({
        u: OS,
        v: o,
        entries: [rowT('csa-offence-by-band', r)],
        keep: t.rapeRows.includes(r),
      });
      bandIn.forEach((b, c) =>
        arcs.push({ u: o, v: b, entries: [cell('csa-offence-by-band', r, c)] }),
      );
    });
    bandIn.forEach((b, c) =>
      arcs.push({
        u: b,
        v: bandOut[c]!,
        entries: [colT('csa-offence-by-band', c), rowT('csa-band-by-sex', c)],
        keep: underTen(c),
      }),
    );
  } else {
    arcs.push({ u: flag[0]!, v: OS, entries: cso, keep: true });
    bandOut.forEach((b, r) =>
      arcs.push({ u: OS, v: b, entries: [rowT('csa-band-by-sex', r)], keep: underTen(r) }),
    );
  }
  bandOut.forEach((b, r) =>
    sex.forEach((s, c) => arcs.push({ u: b, v: s, entries: [cell('csa-band-by-sex', r, c)] })),
  );
  sex.forEach((s, c) => arcs.push({ u: s, v: Y, entries: [colT('csa-band-by-sex', c)] }));
  arcs.push({ u: Y, v: T, entries: [], value: t.bandSex.grandTotal });
  arcs.push({ u: T, v: S, entries: [grand('force-by-flag')] });
  return { nodeCount: next, arcs };
}
