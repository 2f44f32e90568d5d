// Builds a publication (domain.md §11, §15 "disclosure control"): the published tables of one year from
// the accepted force returns, each with primary and secondary suppression (libs/disclosure) and then
// protected jointly where tables share figures; structural zeros blank; extreme values withheld unless
// enough victims share them. Pure: the caller supplies the returns, the clock and the config.
import {
  applyDisclosureControl, isSensitiveCount, methodologyNote, resolveDisclosureConfig, roundToBase, suppressExtremes,
  type DisclosureConfig, type PublishedTable, type ResolvedDisclosureConfig,
} from '#libs/disclosure';
import type { Catalogue } from '#libs/catalogue';
import { COUNTING_UNIT, TABLE_B_COUNTING_UNIT, type TableB } from '#libs/returns';
import { coverageText } from '../coverage.js';
import { sumCounts } from '../counts.js';
import type { CoverageRow, ForceCounts } from '../national.types.js';
import { perDay, type NationalPeriod } from '../period.js';
import { buildCountTables, linkedModel, type OffenceAges } from './count-tables.js';
import { protectJointly, type JointTableResult } from './joint-protection.js';
import type { PublicationContent, PublishedSummary, PublishedTableEntry, ReturnUsed } from './publication.types.js';
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
}

const CSO = 'Online-flagged sexual offences against a victim under 18 at the offence date (table B of the force return)';

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
  ].map((t) => ({ ...t, result: applyDisclosureControl(t.count, input.disclosure) }));
  const joint = protectJointly(linked, linkedModel(counts), input.disclosure);
  const note = (extra: string) => `${extra} ${methodologyNote(cfg, COUNTING_UNIT)}`;
  // The child sexual offence tables count offences, not children (issue 20 §4): say so on each.
  const unitOf = (id: PublishedTableEntry['id']) => (id.startsWith('csa-') ? TABLE_B_COUNTING_UNIT : COUNTING_UNIT);
  const entry = (
    id: PublishedTableEntry['id'], title: string, rowDimension: string, columnDimension: string, rowKeys: string[], methodology: string,
  ): PublishedTableEntry => fromJoint(joint.get(id)!, { id, title, countingUnit: unitOf(id), coverage: national, methodologyNote: note(methodology), rowDimension, columnDimension, rowKeys, rowCoverage: null, notPublishedRows: [] });
  const forceFlag = entry('force-by-flag', 'Recorded crimes by force and online flag', 'force', 'online flag', counts.forceIds,
    `Recorded crimes (confirmed records of ${period.label}) by force and online flag, from each force's accepted return (${national.text}). "Online: child sexual offences": ${CSO}. Forces whose return is not in are listed as not received, never counted as 0.`);
  forceFlag.notPublishedRows = expected.filter((r) => !r.included).map((r) => ({ key: r.forceId, label: r.forceName, status: r.status }));
  const tables: PublishedTableEntry[] = [
    forceFlag,
    regionTable(catalogue, expected, forceFlag, cfg, note),
    entry('csa-band-by-sex', 'Online-flagged child sexual offences by victim age band and sex, England and Wales', 'victim age band', 'victim sex',
      counts.bandSex.rowLabels.slice(), `${CSO}, by the victim's age at the offence date (bands keep the statutory cut-offs at 13 and 16) and sex; ${national.text}.`),
  ];
  if (counts.offenceBand) {
    tables.push(entry('csa-offence-by-band', 'Online-flagged child sexual offences by offence and victim age band, England and Wales', 'offence', 'victim age band', counts.offenceCodes,
      `${CSO}, by Home Office offence code and victim age band; ${national.text}. Blank: impossible combinations by the offence's victim age limits (e.g. 19E, a child under 13, aged 13-15).`));
  }
  const notes = [
    'Linked tables (force-by-flag, csa-band-by-sex, csa-offence-by-band) share figures, so suppression was checked across them jointly, not only table by table.',
    ...(input.offenceAgesNote ? [input.offenceAgesNote] : []),
    ...counts.recordedAgainstLimits.map((c) => `${c}: the catalogue's victim age limits make this impossible, but records hold it; shown, not blanked.`),
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
        expected: expected.length, received: expected.filter((r) => r.received).length,
        accepted: expected.filter((r) => r.accepted).length, included: included.length,
      },
      disclosure: { method: cfg.method, threshold: cfg.threshold, roundingBase: cfg.roundingBase, suppressZeros: cfg.suppressZeros, suppressSmallTotals: cfg.suppressSmallTotals, secondary: cfg.secondary },
      returnsUsed: included.map((r): ReturnUsed => ({ forceId: r.forceId, revision: r.revision!, sha256: r.sha256! })),
      definitions: input.definitions,
    },
    coverage: coverage.map((r) => ({ forceId: r.forceId, forceName: r.forceName, regionId: r.regionId, regionName: r.regionName, status: r.status })),
    tables,
    summary: summaries(input, tables, cfg),
    notes,
  };
}

function fromJoint(j: JointTableResult, head: Omit<PublishedTableEntry, 'table' | 'suppressed' | 'allProtected' | 'notes'>): PublishedTableEntry {
  return {
    ...head,
    table: j.table,
    suppressed: j.suppressed.map((s) => ({
      entry: s.entry, label: s.label, reason: s.reason,
      range: s.range ? { min: s.range.min, max: s.range.max === Infinity ? null : s.range.max } : null,
      protected: s.protected ?? null,
    })),
    allProtected: j.allProtected,
    notes: j.notes,
  };
}

const numeric = (t: string) => /^\d+$/.test(t);
const perDayText = (t: string, days: number) => (numeric(t) ? String(perDay(Number(t), days)) : '*');

// Youngest and modal age identify children when few share them (FOIA s.40(2), domain.md §11): shown only
// when at least `threshold` victims have that age and the group itself is at least that large.
function extremes(b: TableB, config: DisclosureConfig): { youngestAge: number | null; modalAge: number | null } {
  const at = (age: number | null) => b.rows.find((r) => r.level === 'age' && r.age === age && age !== null)?.total ?? 0;
  const { youngestAge, modalAge, total } = b.summary;
  return {
    youngestAge: suppressExtremes({ value: youngestAge, count: at(youngestAge), populationCount: total }, config),
    modalAge: suppressExtremes({ value: modalAge, count: at(modalAge), populationCount: total }, config),
  };
}

function summaries(input: PublicationInput, tables: PublishedTableEntry[], cfg: ResolvedDisclosureConfig): PublicationContent['summary'] {
  const days = input.period.days;
  const get = (id: string): PublishedTable | undefined => tables.find((t) => t.id === id)?.table;
  const bandSex = get('csa-band-by-sex')!;
  const forceFlag = tables.find((t) => t.id === 'force-by-flag')!;
  const offenceBand = tables.find((t) => t.id === 'csa-offence-by-band');
  const all = sumCounts(input.forces).tableB;
  const rapes = offenceBand
    ? sumOfShown(offenceBand.rowKeys.flatMap((code, r) => (input.catalogue.offence(code)?.rape ? [offenceBand.table.rowTotals[r]!] : [])))
    : isSensitiveCount(all.summary.rapes, cfg) ? '*' : String(roundToBase(all.summary.rapes, cfg.roundingBase));
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
      forceId, forceName: forceFlag.table.rowLabels[r]!, childSexualOffences: cso, childSexualOffencesPerDay: perDayText(cso, days),
      ...extremes(f.tableB, input.disclosure),
    };
  });
  return { national, forces };
}
