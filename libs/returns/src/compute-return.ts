// Assembles the force annual return (tables A, B, C and metadata) from the per-table queries.
// A return is a function of (force, year, the records, the rule-set version, the clock): all are
// passed in, nothing reads "now" (style.md §13).
import { DomainError } from '#libs/persistence';
import { financialYearPeriod, formatFinancialYear, londonDate } from '#libs/recording-rules';
import type { ChildSexualOffencesRow } from './queries/child-sexual-offences.query.js';
import { queryFlagChanges } from './queries/flag-changes.query.js';
import type { ReturnMetadataRow } from './queries/return-metadata.query.js';
import { queryReturnTables } from './queries/return-tables.query.js';
import type { FiguresSource } from './queries/force-year-aggregate.query.js';
import type { Queryable } from '#libs/persistence';
import type { ForceYear } from './force-year.js';
import {
  COUNTING_UNIT,
  TABLE_B_COUNTING_UNIT,
  type ForceReturnTables,
  type ReturnMetadata,
  type TableA,
  type TableB,
  type TableBRow,
  type TableBSummary,
  type TableC,
} from './return-tables.js';

export interface ComputeReturnInput extends ForceYear {
  countingRulesVersion: string;
  generatedAt: Date;
  // Live views read the maintained aggregate; a snapshot that is signed reads the records (the default).
  source?: FiguresSource;
}

// Wording shipped with every return (domain.md §15: "the data definitions used").
export const RETURN_DEFINITIONS: Readonly<Record<string, string>> = {
  onlineFlag:
    'Added to each crime record where the offence is committed, in full or in part, through a computer, computer network or other computer-enabled device (Home Office Counting Rules, from 1 April 2015).',
  financialYear:
    '1 April to 31 March in UK local time; each record belongs to the year of its recorded date.',
  countedRecords:
    'Confirmed records recorded in the year. Drafts are not yet recorded crimes; transferred and cancelled records are removed from recorded crime and reported in table C.',
  childSexualOffence:
    'An online-flagged offence of a code counted in table B (by default the sexual offences group of the ONS offence hierarchy; 86/2 indecent images is in miscellaneous crimes against society and is not) against a victim under 18 at the offence date; an unknown age is counted (as unknown) only on offence codes that exist for under-18 victims alone.',
  tableBCountingUnit:
    'Table B counts offences, not children: one crime per victim per offence (HOCR Section D), so a child groomed by two offenders appears twice. Its cells and its youngest age, modal age and under-ten figures are counts of, and ages over, offences.',
  unknownVictimAge:
    "Counted records whose victim age is unknown, among offences with a personal victim only (the catalogue's personalVictim: not drug, weapons, public order or business offences).",
  timeliness: 'Recorded within 24 elapsed hours of the report (NCRS).',
  flagChange:
    "A change of the online flag between 'no' and 'yes' made during the year, whatever the record's own year.",
};

export async function computeReturn(
  db: Queryable,
  input: ComputeReturnInput,
): Promise<ForceReturnTables> {
  const { forceId, year } = validate(input);
  const p: ForceYear = { forceId, year };
  // Two statements: the crimes of the force-year are read once for metadata, A, B and C
  // (queries/return-tables.query.ts); flag changes come from the history index. One after
  // another: on one connection (a transaction, for a consistent snapshot) pg must not be handed
  // a second query while one runs (deprecated in pg 8, removed in pg 9).
  const t = await queryReturnTables(db, p, input.source ?? 'records');
  if (!t.metadata) throw new DomainError('NOT_FOUND', `force ${forceId} not found`);
  const flagChanges = await queryFlagChanges(db, p);
  const { table_a: a, table_b: b, quality: q, removals, rule_warnings: warnings } = t;

  const tableA: TableA = {
    countingUnit: COUNTING_UNIT,
    rows: a.map((r) => ({
      level: r.level,
      group: r.group_name,
      subgroup: r.subgroup,
      offenceCode: r.offence_code,
      offenceName: r.offence_name,
      sexualOffence: r.sexual_offence,
      flagYes: r.flag_yes,
      flagNo: r.flag_no,
      flagUnknown: r.flag_unknown,
      total: r.total,
      pctFlagged: r.pct_flagged,
    })),
  };
  const bRows = b.map(toTableBRow);
  const tableB: TableB = {
    countingUnit: TABLE_B_COUNTING_UNIT,
    rows: bRows,
    summary: summariseTableB(bRows),
  };
  const tableC: TableC = {
    countingUnit: COUNTING_UNIT,
    quality: {
      counted: q.counted,
      recordedWithin24h: q.recorded_within_24h,
      pctRecordedWithin24h: q.pct_recorded_within_24h,
      unknownVictimAge: q.unknown_victim_age,
      unknownVictimSex: q.unknown_victim_sex,
      drafts: q.drafts,
      draftsUnknownFlag: q.drafts_unknown_flag,
      draftsUnknownVictimAge: q.drafts_unknown_victim_age,
    },
    flagChanges: flagChanges.map((r) => ({
      direction: r.direction,
      changes: r.changes,
      records: r.records,
    })),
    removals: removals.map((r) => ({
      level: r.level,
      status: r.status,
      category: r.category,
      onlineFlagged: r.online_flagged,
      notOnlineFlagged: r.not_online_flagged,
      total: r.total,
    })),
    ruleWarnings: warnings.map((r) => ({
      ruleCode: r.rule_code,
      records: r.records,
      onlineFlagged: r.online_flagged,
    })),
  };
  return { metadata: metadata(t.metadata, input), tableA, tableB, tableC };
}

// Youngest, modal age and under-ten come from the single-year rows, so they always agree with them.
export function summariseTableB(rows: readonly TableBRow[]): TableBSummary {
  const total = rows.find((r) => r.level === 'total');
  const known = rows.filter((r) => r.level === 'age' && r.age !== null && r.total > 0);
  let modal: TableBRow | undefined;
  // Ties go to the youngest: strictly greater replaces, and ages are visited youngest first.
  for (const r of [...known].sort((x, y) => (x.age ?? 0) - (y.age ?? 0)))
    if (!modal || r.total > modal.total) modal = r;
  return {
    total: total?.total ?? 0,
    rapes: total?.rapes ?? 0,
    youngestAge: known.length > 0 ? Math.min(...known.map((r) => r.age ?? 0)) : null,
    modalAge: modal?.age ?? null,
    underTen: known.filter((r) => (r.age ?? 0) < 10).reduce((sum, r) => sum + r.total, 0),
  };
}

function toTableBRow(r: ChildSexualOffencesRow): TableBRow {
  return {
    level: r.level,
    band: r.band,
    age: r.age,
    female: r.female,
    male: r.male,
    unknownSex: r.unknown_sex,
    total: r.total,
    rapes: r.rapes,
  };
}

function metadata(m: ReturnMetadataRow, input: ComputeReturnInput): ReturnMetadata {
  const period = financialYearPeriod(input.year);
  return {
    force: { id: m.force_id, name: m.force_name },
    region: { id: m.region_id, name: m.region_name },
    year: {
      startYear: input.year,
      label: formatFinancialYear(input.year),
      periodStart: period.start.toISOString(),
      periodEnd: period.end.toISOString(),
      firstDay: londonDate(period.start),
      lastDay: londonDate(new Date(period.end.getTime() - 1)),
      days: period.days,
    },
    countingRulesVersion: input.countingRulesVersion,
    generatedAt: input.generatedAt.toISOString(),
    countingUnits: { tableA: COUNTING_UNIT, tableB: TABLE_B_COUNTING_UNIT, tableC: COUNTING_UNIT },
    definitions: { ...RETURN_DEFINITIONS },
    source: {
      recordCount: m.record_count,
      versionSum: m.version_sum,
      maxUpdatedAt: m.max_updated_at,
    },
  };
}

function validate(input: ComputeReturnInput): ComputeReturnInput {
  if (typeof input.forceId !== 'string' || !/^[a-z][a-z-]*$/.test(input.forceId)) {
    throw new DomainError('INVALID_INPUT', `invalid force id '${String(input.forceId)}'`);
  }
  if (!Number.isInteger(input.year) || input.year < 1000 || input.year > 9998) {
    throw new DomainError(
      'INVALID_INPUT',
      `invalid financial year '${String(input.year)}': expected a start year such as 2015`,
    );
  }
  if (!(input.generatedAt instanceof Date) || Number.isNaN(input.generatedAt.getTime())) {
    throw new DomainError('INVALID_INPUT', 'generatedAt must be a valid Date (the caller’s clock)');
  }
  if (!input.countingRulesVersion?.trim())
    throw new DomainError('INVALID_INPUT', 'countingRulesVersion is required');
  return input;
}
