// The national return (domain.md §15 "aggregation levels"): force → region → England and Wales, every
// table of the force return at each level, with coverage stated on every total.
import type { TableA, TableB, TableC } from '#libs/returns';
import type { NationalPeriod } from './period.js';

export type Basis = 'accepted' | 'live';

// The three count tables of a force return, without the force-specific metadata.
export interface ReturnCounts {
  tableA: TableA;
  tableB: TableB;
  tableC: TableC;
}

// What the counts were computed from (sums of the forces' high-water marks).
export interface SourceMark {
  recordCount: number;
  versionSum: number;
  maxUpdatedAt: string | null;
}

export interface ForceCounts extends ReturnCounts {
  forceId: string;
  source: SourceMark;
}

// Where a force's return stands, as coverage reports it.
export type ReturnState =
  'none' | 'draft' | 'submitted' | 'returned' | 'accepted' | 'locked' | 'revised';
export type CoverageStatus =
  'included' | 'not received' | 'received, not accepted' | 'not expected';

export interface CoverageRow {
  forceId: string;
  forceName: string;
  regionId: string;
  regionName: string;
  expected: boolean; // in the catalogue for (part of) the year
  returnState: ReturnState;
  received: boolean; // submitted or later
  accepted: boolean; // accepted or locked
  included: boolean; // counted in the totals of this national return
  status: CoverageStatus;
  revision: number | null; // the revision used (accepted basis)
  sha256: string | null;
}

export interface Coverage {
  included: number;
  expected: number;
  text: string; // 'N of M forces'
}

export interface PerDay {
  days: number;
  recordedCrimes: number | null;
  onlineFlagged: number | null;
  childSexualOffences: number | null;
}

export interface AreaAggregate extends ReturnCounts {
  level: 'national' | 'region' | 'force';
  id: string;
  name: string;
  regionId: string | null; // force level only
  coverage: Coverage;
  forces: string[]; // the forces summed, in id order
  source: SourceMark;
  perDay: PerDay;
}

// A force of the year that is not in the totals: an explicit row, never silently dropped.
export interface MissingForce {
  level: 'force';
  id: string;
  name: string;
  regionId: string;
  status: CoverageStatus;
}

export interface NationalReturn {
  metadata: {
    year: NationalPeriod;
    basis: Basis;
    generatedAt: string;
    countingUnit: string;
    definitions: Record<string, string>;
    returns: { expected: number; received: number; accepted: number; included: number };
    coverage: Coverage;
  };
  coverage: CoverageRow[];
  national: AreaAggregate;
  regions: AreaAggregate[];
  forces: (AreaAggregate | MissingForce)[];
}
