import type { DisclosureMethod, EntryRef, PublishedTable } from '#libs/disclosure';
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
  table: PublishedTable; // numbers as text, '*' suppressed, '' structural zero
  notPublishedRows: { key: string; label: string; status: CoverageStatus }[]; // never silently dropped
  suppressed: {
    entry: EntryRef;
    label: string;
    reason: 'primary' | 'secondary' | 'structural' | 'derived';
    range: { min: number; max: number | null } | null; // what a reader can work out; max null = unbounded
    protected: boolean | null;
  }[];
  allProtected: boolean;
  notes: string[];
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
  returnsChanged: { forceId: string; forceName: string; revisionBefore: number | null; revisionAfter: number | null }[];
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
    disclosure: { method: DisclosureMethod; threshold: number; roundingBase: number; suppressZeros: boolean; suppressSmallTotals: boolean; secondary: boolean };
    returnsUsed: ReturnUsed[];
    definitions: Record<string, string>;
    supersedes: SupersededRef | null;
    missingForcesAcknowledged: AcknowledgedMissingForce[];
  };
  coverage: { forceId: string; forceName: string; regionId: string; regionName: string; status: CoverageStatus }[];
  tables: PublishedTableEntry[];
  summary: { national: PublishedSummary; forces: ForceSummary[] };
  notes: string[];
}
