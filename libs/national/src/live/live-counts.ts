// Folds the live cube (one row per force × dimensions) into each force's tables A, B and C, with the
// definitions of the force return. Pure: the catalogue supplies offence names, groups and "rape".
import type { Catalogue } from '#libs/catalogue';
import {
  COUNTING_UNIT,
  summariseTableB,
  TABLE_B_COUNTING_UNIT,
  type TableCRemoval,
} from '#libs/returns';
import {
  addRemoval,
  AGE_BANDS,
  buildTableA,
  byteOrder,
  percent,
  removalRows,
  tableBTemplate,
} from '../counts.js';
import type { ForceCounts } from '../national.types.js';
import type { LiveCubeRow, NationalFlagChangeRow } from './live-cube.query.js';

interface Acc {
  perCode: Map<string, { yes: number; no: number; unknown: number }>;
  bAges: ReturnType<typeof tableBTemplate>;
  quality: {
    counted: number;
    recordedWithin24h: number;
    unknownVictimAge: number;
    unknownVictimSex: number;
    drafts: number;
    draftsUnknownFlag: number;
    draftsUnknownVictimAge: number;
  };
  removals: Map<string, TableCRemoval>;
  warnings: Map<string, { records: number; onlineFlagged: number }>;
  source: { recordCount: number; versionSum: number; maxUpdatedAt: string | null };
}

function emptyAcc(): Acc {
  return {
    perCode: new Map(),
    bAges: tableBTemplate(),
    quality: {
      counted: 0,
      recordedWithin24h: 0,
      unknownVictimAge: 0,
      unknownVictimSex: 0,
      drafts: 0,
      draftsUnknownFlag: 0,
      draftsUnknownVictimAge: 0,
    },
    removals: new Map(),
    warnings: new Map(),
    source: { recordCount: 0, versionSum: 0, maxUpdatedAt: null },
  };
}

// Every force in `forceIds` gets counts (zeros when it has no records); rows of other forces are ignored.
export function liveForceCounts(
  catalogue: Catalogue,
  forceIds: readonly string[],
  cube: readonly LiveCubeRow[],
  changes: readonly NationalFlagChangeRow[],
): ForceCounts[] {
  const accs = new Map(forceIds.map((f) => [f, emptyAcc()]));
  for (const r of cube) {
    const a = accs.get(r.force_id);
    if (a) fold(catalogue, a, r);
  }
  return forceIds.map((forceId) => {
    const a = accs.get(forceId)!;
    const offenceCells = [...a.perCode].map(([code, c]) => {
      const o = catalogue.offence(code);
      if (!o) throw new Error(`offence ${code} is not in the catalogue`);
      return {
        group: o.group,
        subgroup: o.subgroup,
        code: o.code,
        name: o.name,
        sexualOffence: o.sexualOffence,
        ...c,
      };
    });
    const bRows = withBandsAndTotal(a.bAges);
    const q = a.quality;
    const mine = changes.filter((c) => c.force_id === forceId);
    const change = (direction: 'no-to-yes' | 'yes-to-no') => {
      const c = mine.find((m) => m.direction === direction);
      return { direction, changes: c?.changes ?? 0, records: c?.records ?? 0 };
    };
    return {
      forceId,
      tableA: buildTableA(offenceCells),
      tableB: { countingUnit: TABLE_B_COUNTING_UNIT, rows: bRows, summary: summariseTableB(bRows) },
      tableC: {
        countingUnit: COUNTING_UNIT,
        quality: { ...q, pctRecordedWithin24h: percent(q.recordedWithin24h, q.counted) },
        flagChanges: [change('no-to-yes'), change('yes-to-no')],
        removals: removalRows(a.removals),
        ruleWarnings: [...a.warnings.keys()]
          .sort(byteOrder)
          .map((ruleCode) => ({ ruleCode, ...a.warnings.get(ruleCode)! })),
      },
      source: a.source,
    };
  });
}

function fold(catalogue: Catalogue, a: Acc, r: LiveCubeRow): void {
  a.source.recordCount += r.n;
  a.source.versionSum += r.version_sum;
  if (a.source.maxUpdatedAt === null || r.max_updated_at > a.source.maxUpdatedAt)
    a.source.maxUpdatedAt = r.max_updated_at;
  const q = a.quality;
  if (r.status === 'confirmed') {
    const c = a.perCode.get(r.offence_code) ?? { yes: 0, no: 0, unknown: 0 };
    c[r.online_flag] += r.n;
    a.perCode.set(r.offence_code, c);
    q.counted += r.n;
    q.recordedWithin24h += r.within_24h;
    q.unknownVictimAge += r.unknown_age;
    q.unknownVictimSex += r.unknown_sex;
    for (const code of r.warnings) {
      const w = a.warnings.get(code) ?? { records: 0, onlineFlagged: 0 };
      w.records += r.n;
      if (r.online_flag === 'yes') w.onlineFlagged += r.n;
      a.warnings.set(code, w);
    }
    if (r.b_age !== null && r.b_sex !== null) {
      const row = a.bAges[r.b_age === -1 ? 18 : r.b_age]!;
      row[r.b_sex === 'unknown' ? 'unknownSex' : r.b_sex] += r.n;
      row.total += r.n;
      if (catalogue.offence(r.offence_code)?.rape) row.rapes += r.n;
    }
  } else if (r.status === 'draft') {
    q.drafts += r.n;
    if (r.online_flag === 'unknown') q.draftsUnknownFlag += r.n;
    q.draftsUnknownVictimAge += r.unknown_age;
  } else {
    const yes = r.online_flag === 'yes' ? r.n : 0;
    addRemoval(a.removals, r.status, r.category ?? '', yes, r.n - yes);
  }
}

// Band rows and the total row are sums of the 19 age rows (0-17, unknown).
function withBandsAndTotal(
  rows: ReturnType<typeof tableBTemplate>,
): ReturnType<typeof tableBTemplate> {
  const ages = rows.slice(0, 19);
  const sum = (list: typeof ages, k: 'female' | 'male' | 'unknownSex' | 'total' | 'rapes') =>
    list.reduce((s, r) => s + r[k], 0);
  const line = (list: typeof ages) => ({
    female: sum(list, 'female'),
    male: sum(list, 'male'),
    unknownSex: sum(list, 'unknownSex'),
    total: sum(list, 'total'),
    rapes: sum(list, 'rapes'),
  });
  const bands = AGE_BANDS.map((band) => ({
    level: 'band' as const,
    band,
    age: null,
    ...line(ages.filter((r) => r.band === band)),
  }));
  return [...ages, ...bands, { level: 'total', band: null, age: null, ...line(ages) }];
}

// Online-flagged child sexual offences by offence code × victim age (-1 = unknown), over the given
// forces: the detail the force return does not keep, for the published offence × age band table.
export function offenceAgeCounts(
  cube: readonly LiveCubeRow[],
  forceIds: readonly string[],
): Map<string, Map<number, number>> {
  const wanted = new Set(forceIds);
  const out = new Map<string, Map<number, number>>();
  for (const r of cube) {
    if (!wanted.has(r.force_id) || r.b_age === null) continue;
    const ages = out.get(r.offence_code) ?? new Map<number, number>();
    ages.set(r.b_age, (ages.get(r.b_age) ?? 0) + r.n);
    out.set(r.offence_code, ages);
  }
  return out;
}
