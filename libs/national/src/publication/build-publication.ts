// Builds a publication (domain.md §11, §15 "disclosure control"): the published tables of one year from
// the accepted force returns, with primary suppression and least-cost secondary suppression over all linked
// tables at once (libs/disclosure, joint-protection.ts); structural zeros [z]; extreme values withheld unless
// enough victims share them; the information loss reported table by table. Pure: the caller supplies the
// returns, the clock and the config.
import {
  describeEntry,
  isSensitiveCount,
  methodologyNote,
  resolveDisclosureConfig,
  roundToBase,
  suppressExtremes,
  STRUCTURAL_ZERO,
  SUPPRESSED,
  type CountTable,
  type DisclosureConfig,
  type PublishedTable,
  type ResolvedDisclosureConfig,
} from '#libs/disclosure';
import type { Catalogue } from '#libs/catalogue';
import { COUNTING_UNIT, TABLE_B_COUNTING_UNIT, type TableB } from '#libs/returns';
import { coverageText } from '../coverage.js';
import { sumCounts } from '../counts.js';
import type { CoverageRow, ForceCounts } from '../national.types.js';
import { perDay, type NationalPeriod } from '../period.js';
import { buildCountTables, linkedModel, type OffenceAges } from './count-tables.js';
import {
  protectJointly,
  type EntryKey,
  type JointProtection,
  type JointTableResult,
} from './joint-protection.js';
import type {
  AcknowledgedMissingForce,
  DisclosureReport,
  InformationLoss,
  PublicationContent,
  PublishedSummary,
  PublishedTableEntry,
  ReturnUsed,
  SupersededRef,
} from './publication.types.js';
import { regionTable, sumOfShown } from './region-table.js';

export interface PublicationInput {
  title: string;
  period: NationalPeriod;
  disclosure: DisclosureConfig;
  catalogue: Catalogue;
  coverage: readonly CoverageRow[];
  forces: readonly ForceCounts[];
  offenceAges: OffenceAges | null; // null: the offence × age band table is left out, for offenceAgesNote
  offenceAgesNote: string | null;
  definitions: Record<string, string>;
  generatedAt: Date;
  supersedes?: SupersededRef | null; // the publication of the year this one replaces
  missingForcesAcknowledged?: AcknowledgedMissingForce[]; // the coverage guard's acknowledgement
}

const CSO =
  'Online-flagged sexual offences against a victim under 18 at the offence date (table B of the force return)';

export function buildPublication(input: PublicationInput): PublicationContent {
  const cfg = resolveDisclosureConfig(input.disclosure);
  const { catalogue, period, coverage, forces } = input;
  const expected = coverage.filter((r) => r.expected);
  const included = expected.filter((r) => r.included);
  const national = coverageText(included.length, expected.length);
  const counts = buildCountTables(catalogue, period, forces, input.offenceAges);
  const linked = [
    { id: 'force-by-flag', count: counts.forceFlag },
    { id: 'csa-band-by-sex', count: counts.bandSex },
    ...(counts.offenceBand ? [{ id: 'csa-offence-by-band', count: counts.offenceBand }] : []),
  ];
  const joint = protectJointly(linked, linkedModel(counts), input.disclosure);
  const note = (extra: string) => `${extra} ${methodologyNote(cfg, COUNTING_UNIT)}`;
  // The child sexual offence tables count offences, not children (issue 20 §4): say so on each.
  const unitOf = (id: PublishedTableEntry['id']) =>
    id.startsWith('csa-') ? TABLE_B_COUNTING_UNIT : COUNTING_UNIT;
  const entry = (
    id: PublishedTableEntry['id'],
    title: string,
    rowDimension: string,
    columnDimension: string,
    rowKeys: string[],
    methodology: string,
  ): PublishedTableEntry =>
    fromJoint(joint.tables.get(id)!, linked.find((t) => t.id === id)!.count, {
      id,
      title,
      countingUnit: unitOf(id),
      coverage: national,
      methodologyNote: note(methodology),
      rowDimension,
      columnDimension,
      rowKeys,
      rowCoverage: null,
      notPublishedRows: [],
    });
  const forceFlag = entry(
    'force-by-flag',
    'Recorded crimes by force and online flag',
    'force',
    'online flag',
    counts.forceIds,
    `Recorded crimes (confirmed records of ${period.label}) by force and online flag, from each force's accepted return (${national.text}). "Online: child sexual offences": ${CSO}. Forces whose return is not in are listed as not received, never counted as 0.`,
  );
  forceFlag.notPublishedRows = expected
    .filter((r) => !r.included)
    .map((r) => ({ key: r.forceId, label: r.forceName, status: r.status }));
  const tables: PublishedTableEntry[] = [
    forceFlag,
    regionEntry(
      regionTable(catalogue, expected, forceFlag, cfg, note),
      counts.forceFlag,
      counts.forceIds,
      expected,
    ),
    entry(
      'csa-band-by-sex',
      'Online-flagged child sexual offences by victim age band and sex, England and Wales',
      'victim age band',
      'victim sex',
      counts.bandSex.rowLabels.slice(),
      `${CSO}, by the victim's age at the offence date (bands keep the statutory cut-offs at 13 and 16) and sex; ${national.text}.`,
    ),
  ];
  if (counts.offenceBand) {
    const groups = counts.offenceGroups.map((id) => {
      const g = catalogue.publicationGroups().find((x) => x.id === id);
      return g ? `${g.name}: ${g.codes.join(', ')}` : id;
    });
    tables.push(
      entry(
        'csa-offence-by-band',
        'Online-flagged child sexual offences by offence group and victim age band, England and Wales',
        'offence group',
        'victim age band',
        counts.offenceGroups,
        `${CSO}, by offence group (Home Office offence codes: ${groups.join('; ')}) and victim age band; ${national.text}. [z]: impossible for every code of the group by its victim age limits (e.g. rape of a child under 13 aged 13-15 cannot occur outside the group's other codes).`,
      ),
    );
  }
  const report = disclosureReport(tables, joint, cfg, linked);
  const notes = [
    "Symbols: [c] confidential, suppressed to protect individuals (disclosure control); [z] not applicable (an impossible combination, a structural zero); [x] not available (the force's return is not included).",
    'Linked tables (force-by-flag, csa-band-by-sex, csa-offence-by-band) share figures, so suppression was chosen and checked across them jointly, not only table by table.',
    `Disclosure control suppressed ${report.cellsSuppressed} of ${report.cells} cells (${report.cellsSuppressedPercent} %), using the ${report.method === 'optimal' ? 'least-cost (optimal) secondary suppression' : 'greedy secondary suppression'}.`,
    ...joint.notes,
    ...(input.offenceAgesNote ? [input.offenceAgesNote] : []),
    ...counts.recordedAgainstLimits.map(
      (c) =>
        `${c}: the catalogue's victim age limits make this impossible, but records hold it; shown, not blanked.`,
    ),
    ...(input.supersedes ? [supersedesNote(input.supersedes)] : []),
    ...(input.missingForcesAcknowledged?.length
      ? [
          `Published without ${input.missingForcesAcknowledged.map((f) => `${f.forceName} (${f.status})`).join(', ')}: acknowledged by the statistician.`,
        ]
      : []),
  ];
  return {
    metadata: {
      title: input.title,
      year: period,
      basis: 'accepted',
      generatedAt: input.generatedAt.toISOString(),
      countingUnit: COUNTING_UNIT,
      coverage: national,
      returns: {
        expected: expected.length,
        received: expected.filter((r) => r.received).length,
        accepted: expected.filter((r) => r.accepted).length,
        included: included.length,
      },
      disclosure: {
        method: cfg.method,
        threshold: cfg.threshold,
        roundingBase: cfg.roundingBase,
        suppressZeros: cfg.suppressZeros,
        suppressSmallTotals: cfg.suppressSmallTotals,
        secondary: cfg.secondary,
        secondaryMethod: joint.method,
        cost: cfg.cost,
        protection: {
          lower: cfg.protection.lower,
          upper: cfg.protection.upper,
          minimumWidth: cfg.protection.minimumWidth,
        },
      },
      returnsUsed: included.map((r): ReturnUsed => ({
        forceId: r.forceId,
        revision: r.revision!,
        sha256: r.sha256!,
      })),
      definitions: input.definitions,
      supersedes: input.supersedes ?? null,
      missingForcesAcknowledged: input.missingForcesAcknowledged ?? [],
    },
    coverage: coverage.map((r) => ({
      forceId: r.forceId,
      forceName: r.forceName,
      regionId: r.regionId,
      regionName: r.regionName,
      status: r.status,
    })),
    tables,
    disclosureReport: report,
    summary: summaries(input, tables, cfg, counts.rapeRows),
    notes,
  };
}

function fromJoint(
  j: JointTableResult,
  count: CountTable,
  head: Omit<
    PublishedTableEntry,
    'table' | 'suppressed' | 'allProtected' | 'notes' | 'informationLoss'
  >,
): PublishedTableEntry {
  return withLoss(
    {
      ...head,
      table: j.table,
      suppressed: j.suppressed.map((s) => ({
        entry: s.entry,
        label: s.label,
        reason: s.reason,
        range: s.range
          ? { min: s.range.min, max: s.range.max === Infinity ? null : s.range.max }
          : null,
        protected: s.protected ?? null,
      })),
      allProtected: j.allProtected,
      notes: j.notes,
    },
    count.counts,
  );
}

const percent = (part: number, whole: number) =>
  whole === 0 ? 0 : Math.round((1000 * part) / whole) / 10;

// Fills in a table's information loss from its published strings and its true cell counts, and says it in
// the table's notes (so CSV and XLSX carry it too).
function withLoss(
  t: Omit<PublishedTableEntry, 'informationLoss'>,
  truth: readonly (readonly number[])[],
): PublishedTableEntry {
  const cells = t.table.cells.flat();
  const values = truth.flat();
  const totals = [...t.table.rowTotals, ...t.table.columnTotals, t.table.grandTotal];
  const countSuppressed = cells.reduce((s, v, k) => s + (v === SUPPRESSED ? values[k]! : 0), 0);
  const total = values.reduce((s, v) => s + v, 0);
  const reasons = (r: string) => t.suppressed.filter((s) => s.reason === r).length;
  const loss: InformationLoss = {
    cells: cells.filter((v) => v !== STRUCTURAL_ZERO).length,
    cellsSuppressed: cells.filter((v) => v === SUPPRESSED).length,
    cellsSuppressedPercent: 0,
    totals: totals.filter((v) => v !== STRUCTURAL_ZERO).length,
    totalsSuppressed: totals.filter((v) => v === SUPPRESSED).length,
    countSuppressed,
    total,
    countSuppressedPercent: percent(countSuppressed, total),
    primary: reasons('primary'),
    secondary: reasons('secondary'),
    derived: reasons('derived'),
  };
  loss.cellsSuppressedPercent = percent(loss.cellsSuppressed, loss.cells);
  const text = `Information loss: ${loss.cellsSuppressed} of ${loss.cells} cells suppressed (${loss.cellsSuppressedPercent} %), holding ${loss.countSuppressed} of ${loss.total} ${t.countingUnit.split(';')[0]} (${loss.countSuppressedPercent} %); ${loss.totalsSuppressed} of ${loss.totals} totals suppressed.`;
  return { ...t, informationLoss: loss, notes: [...t.notes, text] };
}

// The region table with its information loss, from the true counts of its forces added up.
function regionEntry(
  t: Omit<PublishedTableEntry, 'informationLoss'>,
  forceFlag: CountTable,
  forceIds: readonly string[],
  expected: readonly CoverageRow[],
): PublishedTableEntry {
  const regionOf = (id: string) => expected.find((r) => r.forceId === id)?.regionId;
  const truth = t.rowKeys.map((region) =>
    forceFlag.columnLabels.map((_, c) =>
      forceIds.reduce(
        (s, id, i) => s + (regionOf(id) === region ? forceFlag.counts[i]![c]! : 0),
        0,
      ),
    ),
  );
  return withLoss(t, truth);
}

function disclosureReport(
  tables: readonly PublishedTableEntry[],
  joint: JointProtection,
  cfg: ResolvedDisclosureConfig,
  linked: readonly { id: string; count: CountTable }[],
): DisclosureReport {
  const name = (k: EntryKey) =>
    `${k.table}: ${describeEntry(k.entry, linked.find((t) => t.id === k.table)!.count)}`;
  const cells = tables.reduce((s, t) => s + t.informationLoss.cells, 0);
  const cellsSuppressed = tables.reduce((s, t) => s + t.informationLoss.cellsSuppressed, 0);
  return {
    method: joint.method,
    cost: cfg.cost,
    protection: {
      lower: cfg.protection.lower,
      upper: cfg.protection.upper,
      minimumWidth: cfg.protection.minimumWidth,
    },
    cells,
    cellsSuppressed,
    cellsSuppressedPercent: percent(cellsSuppressed, cells),
    byTable: tables.map((t) => ({
      id: t.id,
      cells: t.informationLoss.cells,
      cellsSuppressed: t.informationLoss.cellsSuppressed,
      cellsSuppressedPercent: t.informationLoss.cellsSuppressedPercent,
      countSuppressedPercent: t.informationLoss.countSuppressedPercent,
    })),
    secondaryFor: joint.secondaryFor.map((x) => ({
      secondary: name(x.secondary),
      primaries: x.primaries.map(name),
    })),
  };
}

const numeric = (t: string) => /^\d+$/.test(t);
const perDayText = (t: string, days: number) =>
  numeric(t) ? String(perDay(Number(t), days)) : SUPPRESSED;

// Youngest and modal age identify children when few share them (FOIA s.40(2), domain.md §11): shown only
// when at least `threshold` victims have that age and the group itself is at least that large.
function extremes(
  b: TableB,
  config: DisclosureConfig,
): { youngestAge: number | null; modalAge: number | null } {
  const at = (age: number | null) =>
    b.rows.find((r) => r.level === 'age' && r.age === age && age !== null)?.total ?? 0;
  const { youngestAge, modalAge, total } = b.summary;
  return {
    youngestAge: suppressExtremes(
      { value: youngestAge, count: at(youngestAge), populationCount: total },
      config,
    ),
    modalAge: suppressExtremes(
      { value: modalAge, count: at(modalAge), populationCount: total },
      config,
    ),
  };
}

function summaries(
  input: PublicationInput,
  tables: PublishedTableEntry[],
  cfg: ResolvedDisclosureConfig,
  rapeRows: readonly number[],
): PublicationContent['summary'] {
  const days = input.period.days;
  const get = (id: string): PublishedTable | undefined => tables.find((t) => t.id === id)?.table;
  const bandSex = get('csa-band-by-sex')!;
  const forceFlag = tables.find((t) => t.id === 'force-by-flag')!;
  const offenceBand = tables.find((t) => t.id === 'csa-offence-by-band');
  const all = sumCounts(input.forces).tableB;
  const rapes = offenceBand
    ? sumOfShown(rapeRows.map((r) => offenceBand.table.rowTotals[r]!))
    : isSensitiveCount(all.summary.rapes, cfg)
      ? SUPPRESSED
      : String(roundToBase(all.summary.rapes, cfg.roundingBase));
  const national: PublishedSummary = {
    childSexualOffences: bandSex.grandTotal,
    childSexualOffencesPerDay: perDayText(bandSex.grandTotal, days),
    underTen: sumOfShown([bandSex.rowTotals[0]!, bandSex.rowTotals[1]!]),
    rapes,
    ...extremes(all, input.disclosure),
  };
  const forces = forceFlag.rowKeys.map((forceId, r) => {
    const f = input.forces.find((x) => x.forceId === forceId)!;
    const cso = forceFlag.table.cells[r]![0]!;
    return {
      forceId,
      forceName: forceFlag.table.rowLabels[r]!,
      childSexualOffences: cso,
      childSexualOffencesPerDay: perDayText(cso, days),
      ...extremes(f.tableB, input.disclosure),
    };
  });
  return { national, forces };
}

function supersedesNote(s: SupersededRef): string {
  const changes = s.returnsChanged.map(
    (c) =>
      `${c.forceName} ${c.revisionBefore === null ? 'added' : c.revisionAfter === null ? 'left out' : `revision ${c.revisionBefore} → ${c.revisionAfter}`}`,
  );
  return `Supersedes publication ${s.id} of ${s.publishedAt}${changes.length ? `: ${changes.join('; ')}` : ' (no return changed)'}.`;
}
