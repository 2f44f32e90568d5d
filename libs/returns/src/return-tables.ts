// The computed force annual return (domain.md §15): JSON-serialisable (numbers as numbers, ISO
// strings for instants, null for "none"), in a fixed order, so its canonical JSON is stable.
import type { AgeBand } from './queries/child-sexual-offences.query.js';
import type { FlagChangeDirection } from './queries/flag-changes.query.js';

export type { AgeBand, FlagChangeDirection };

// HOCR Section D: the general counting unit.
export const COUNTING_UNIT = 'crimes; one crime per victim';
// Table B counts the same unit, which is offences, not children: one crime per victim PER OFFENCE, so a child
// who is the victim of two offences (groomed by two offenders) is counted twice (issue 20 §4).
export const TABLE_B_COUNTING_UNIT =
  'offences (crimes; one crime per victim per offence), not children: a child victim of two offences is counted twice';

export interface ReturnMetadata {
  force: { id: string; name: string };
  region: { id: string; name: string };
  year: {
    startYear: number; // 2015
    label: string; // '2015-16'
    periodStart: string; // ISO instant, inclusive: 1 April 00:00 UK time
    periodEnd: string; // ISO instant, exclusive: the next 1 April 00:00 UK time
    firstDay: string; // '2015-04-01'
    lastDay: string; // '2016-03-31' (inclusive)
    days: number; // 366 for 2015-16
  };
  countingRulesVersion: string;
  generatedAt: string; // ISO instant, from the caller's clock
  countingUnits: { tableA: string; tableB: string; tableC: string };
  definitions: Record<string, string>;
  // What the return was computed from: every record of the force-year, whatever its status.
  source: { recordCount: number; versionSum: number; maxUpdatedAt: string | null };
}

export interface TableARow {
  level: 'offence' | 'group' | 'total';
  group: string | null; // null on the total row
  subgroup: string | null; // offence rows only
  offenceCode: string | null;
  offenceName: string | null;
  sexualOffence: boolean | null; // offence rows only
  flagYes: number;
  flagNo: number;
  flagUnknown: number;
  total: number;
  pctFlagged: number | null; // yes / total × 100, 1 d.p.; null when total is 0
}

export interface TableA {
  countingUnit: string;
  rows: TableARow[];
}

export interface TableBRow {
  level: 'age' | 'band' | 'total';
  band: AgeBand | null; // null on the total row
  age: number | null; // age rows only; null = unknown age (and on band/total rows)
  female: number;
  male: number;
  unknownSex: number;
  total: number;
  rapes: number;
}

// Over OFFENCES, not children (TABLE_B_COUNTING_UNIT): the age of the victim of each counted offence.
export interface TableBSummary {
  total: number; // offences
  rapes: number; // offences
  youngestAge: number | null; // the youngest victim age among the offences with a known age
  modalAge: number | null; // the victim age with the most offences; ties go to the youngest
  underTen: number; // offences against a victim of known age 0-9
}

export interface TableB {
  countingUnit: string;
  rows: TableBRow[]; // 19 age rows (internal), 6 band rows, 1 total row, always
  summary: TableBSummary;
}

export interface TableCQuality {
  counted: number;
  recordedWithin24h: number;
  pctRecordedWithin24h: number | null;
  unknownVictimAge: number;
  unknownVictimSex: number;
  drafts: number;
  draftsUnknownFlag: number;
  draftsUnknownVictimAge: number;
}

export interface TableCFlagChange {
  direction: FlagChangeDirection;
  changes: number;
  records: number;
}

export interface TableCRemoval {
  level: 'category' | 'total';
  status: 'cancelled' | 'transferred' | null;
  category: string | null;
  onlineFlagged: number;
  notOnlineFlagged: number;
  total: number;
}

export interface TableCRuleWarning {
  ruleCode: string;
  records: number;
  onlineFlagged: number;
}

export interface TableC {
  countingUnit: string;
  quality: TableCQuality;
  flagChanges: TableCFlagChange[];
  removals: TableCRemoval[];
  ruleWarnings: TableCRuleWarning[];
}

export interface ForceReturnTables {
  metadata: ReturnMetadata;
  tableA: TableA;
  tableB: TableB;
  tableC: TableC;
}
