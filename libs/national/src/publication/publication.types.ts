import type {
  DisclosureMethod,
  EntryRef,
  PublishedTable,
  SecondaryMethod,
  SuppressionCost,
} from '#libs/disclosure';
import type { Coverage, CoverageStatus } from '../national.types.js';
import type { NationalPeriod } from '../period.js';

// A published table, as stored (hashed) in the publication and exported.
export interface PublishedTableEntry {
  id: 'force-by-flag' | 'region-by-flag' | 'csa-band-by-sex' | 'csa-offence-by-band';
  title: string;
  countingUnit: string;
  coverage: Coverage;
  methodologyNote: string;
  rowDimension: string;
  columnDimension: string;
  rowKeys: string[]; // force / region ids, age bands, offence codes
  rowCoverage: string[] | null; // per row 'N of M forces' where a row sums forces
  table: PublishedTable; // numbers as text, '[c]' suppressed (confidential), '[z]' structural zero (not applicable)
  notPublishedRows: { key: string; label: string; status: CoverageStatus }[]; // never silently dropped
  suppressed: {
    entry: EntryRef;
    label: string;
    reason: 'primary' | 'secondary' | 'structural' | 'derived';
    range: { min: number; max: number | null } | null; // what a reader can work out; max null = unbounded
    protected: boolean | null;
  }[];
  allProtected: boolean;
  informationLoss: InformationLoss;
  notes: string[];
}

// What disclosure control cost a table: how many figures it hides and how much of the count they hold.
export interface InformationLoss {
  cells: number; // interior cells that are not structural zeros
  cellsSuppressed: number; // of which shown [c]
  cellsSuppressedPercent: number; // one decimal
  totals: number; // row, column and grand totals that are not structural
  totalsSuppressed: number;
  countSuppressed: number; // true count held by the suppressed cells
  total: number; // the table's true grand total
  countSuppressedPercent: number; // countSuppressed ÷ total, one decimal
  primary: number; // suppressed figures (cells and totals) by reason
  secondary: number;
  derived: number;
}

// The publication's disclosure-control report: the method used, the loss across all tables, and which
// primary suppressions forced which secondary ones (shown to the statistician in the preview).
export interface DisclosureReport {
  method: SecondaryMethod; // the method used: 'greedy' also when the optimal one ran out of time
  cost: SuppressionCost;
  protection: { lower: number; upper: number; minimumWidth: number };
  cells: number;
  cellsSuppressed: number;
  cellsSuppressedPercent: number;
  byTable: {
    id: PublishedTableEntry['id'];
    cells: number;
    cellsSuppressed: number;
    cellsSuppressedPercent: number;
    countSuppressedPercent: number;
  }[];
  secondaryFor: { secondary: string; primaries: string[] }[]; // "table: entry" labels; [] = needed jointly
}

export interface PublishedSummary {
  childSexualOffences: string;
  childSexualOffencesPerDay: string;
  underTen: string;
  rapes: string;
  youngestAge: number | null; // withheld (null) when fewer than the threshold share it
  modalAge: number | null;
}

export interface ForceSummary {
  forceId: string;
  forceName: string;
  childSexualOffences: string;
  childSexualOffencesPerDay: string;
  youngestAge: number | null;
  modalAge: number | null;
}

export interface ReturnUsed {
  forceId: string;
  revision: number;
  sha256: string;
}

// The publication a new one of the same year replaces (README "Corrections after publication"): the old one
// stays stored, readable and verifiable; it is marked superseded. returnsChanged: the forces whose return
// revision used differs (null: not used by that publication).
export interface SupersededRef {
  id: string;
  publishedAt: string;
  returnsChanged: {
    forceId: string;
    forceName: string;
    revisionBefore: number | null;
    revisionAfter: number | null;
  }[];
}

// An expected force left out of the totals, which the request acknowledged (coverage guard).
export interface AcknowledgedMissingForce {
  forceId: string;
  forceName: string;
  status: CoverageStatus;
}

export interface PublicationContent {
  metadata: {
    title: string;
    year: NationalPeriod;
    basis: 'accepted';
    generatedAt: string;
    countingUnit: string;
    coverage: Coverage;
    returns: { expected: number; received: number; accepted: number; included: number };
    disclosure: {
      method: DisclosureMethod;
      threshold: number;
      roundingBase: number;
      suppressZeros: boolean;
      suppressSmallTotals: boolean;
      secondary: boolean;
      secondaryMethod: SecondaryMethod;
      cost: SuppressionCost;
      protection: { lower: number; upper: number; minimumWidth: number };
    };
    returnsUsed: ReturnUsed[];
    definitions: Record<string, string>;
    supersedes: SupersededRef | null;
    missingForcesAcknowledged: AcknowledgedMissingForce[];
  };
  coverage: {
    forceId: string;
    forceName: string;
    regionId: string;
    regionName: string;
    status: CoverageStatus;
  }[];
  tables: PublishedTableEntry[];
  disclosureReport: DisclosureReport;
  summary: { national: PublishedSummary; forces: ForceSummary[] };
  notes: string[];
}
