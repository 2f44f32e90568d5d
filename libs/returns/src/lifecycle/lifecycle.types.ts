import type { ForceReturnTables } from '../return-tables.js';
import type { ReturnFinding } from '../return-rules.js';

// The lifecycle of one force-year return (domain.md §15; issue 5): a draft is computed live; a
// submission freezes it as revision n; the statistics team accepts it or returns it with reasons;
// the national publication locks it. Correction after publication: the force's FCR may submit a new
// revision of a locked return (with the reason); it is 'revised' until the statistics team accepts it
// (or returns it), and the next publication of the year, superseding the old one, locks it again.
export const RETURN_STATES = [
  'draft',
  'submitted',
  'accepted',
  'returned',
  'locked',
  'revised',
] as const;
export type ReturnState = (typeof RETURN_STATES)[number];

// What a caller can do next. 'resubmit' and 'revise' are the same request as 'submit' (POST …/submit)
// on a return that already has a revision, and on a locked one; the event log keeps them apart.
export type ReturnAction = 'submit' | 'resubmit' | 'revise' | 'accept' | 'return';
export type ReturnEventAction = ReturnAction | 'lock';

// The transitions that submit a revision (POST …/submit).
export const SUBMISSION_ACTIONS: readonly ReturnAction[] = ['submit', 'resubmit', 'revise'];

export interface HighWater {
  recordCount: number;
  versionSum: number;
  maxUpdatedAt: string | null;
}

export interface RevisionSummary {
  revision: number;
  sha256: string;
  highWater: HighWater;
  submittedAt: string;
  submittedBy: string;
  signedOffName: string;
}

// On every GET: where the return stands and what the caller may do next.
export interface ReturnStatus {
  state: ReturnState;
  version: number; // send back on a transition; 0 while no revision exists
  currentRevision: number;
  actions: ReturnAction[];
  // Return rules failing now, which keep submit/resubmit/revise out of `actions` (CF-RET-001..004).
  // Checked only when the caller could otherwise submit; cheapest first, stopping at the first that
  // fails, except on GET …/validation, which lists every one. Empty: nothing blocks.
  blockedBy: string[];
}

export interface RevisionList {
  forceId: string;
  year: string;
  status: ReturnStatus;
  revisions: RevisionSummary[];
}

export interface RevisionView extends RevisionSummary {
  status: ReturnStatus;
  tables: ForceReturnTables;
  // The stored canonical tables hashed again now, against the stored hash.
  verification: { ok: boolean; recomputedSha256: string };
}

export interface ReturnEventView {
  revision: number;
  action: ReturnEventAction;
  fromState: ReturnState;
  toState: ReturnState;
  reason: string | null;
  at: string;
  by: string;
}

export interface ChangedRecord {
  crimeId: string;
  crimeReference: string;
  changes: number; // history entries since the submission
  lastChangedAt: string;
}

export interface ChangedSinceSubmission {
  revision: number;
  submittedAt: string;
  recordCount: number;
  // Listed for callers with record-level access only (registrars, auditors); null otherwise.
  records: ChangedRecord[] | null;
  truncated: boolean;
  // The live high-water mark differs from the snapshot's: catches what history cannot (see docs).
  highWaterMoved: boolean;
  message: string; // '14 records changed since revision 2 was submitted'
}

export interface ReturnView {
  forceId: string;
  year: string; // '2015-16'
  state: ReturnState;
  version: number; // send back on a transition; 0 while no revision exists
  currentRevision: number;
  latestRevision: RevisionSummary | null;
  // Live tables differ from the latest revision (records or catalogue changed since).
  dataChangedSinceRevision: boolean | null;
  changedSinceSubmission: ChangedSinceSubmission | null;
  actions: ReturnAction[];
  blockedBy: string[]; // the return rules that stop a submission now (see ReturnStatus)
  events: ReturnEventView[];
  draft: ForceReturnTables;
}

export interface ValidationView {
  forceId: string;
  year: string;
  status: ReturnStatus;
  ok: boolean;
  // Record lists are withheld (records: [], recordsWithheld) from callers without record-level access.
  recordsWithheld: boolean;
  findings: ReturnFinding[];
}

export interface CellChange {
  path: string; // e.g. 'tableA.rows[offence 8L].flagYes'
  old: unknown; // null when the cell did not exist
  new: unknown; // null when the cell no longer exists
}

export interface RevisionDiff {
  forceId: string;
  year: string;
  status: ReturnStatus;
  from: number;
  to: number;
  changes: CellChange[];
}

export interface TransitionResult {
  forceId: string;
  year: string;
  state: ReturnState;
  version: number;
  currentRevision: number;
  latestRevision: RevisionSummary | null;
  event: ReturnEventView;
}

// GET /returns/:year: where every expected force's return stands. 'not started': nothing submitted yet
// (the lifecycle's 'draft' with version 0: the tables exist only live).
export type TrackerState = ReturnState | 'not started';

export interface YearTrackerForce {
  forceId: string;
  forceName: string;
  regionId: string;
  regionName: string;
  state: TrackerState;
  version: number; // 0 while not started
  currentRevision: number;
  latestSubmittedAt: string | null; // when the current revision was submitted
  // When the current revision was accepted (kept once a publication locks it); null if it was not.
  acceptedAt: string | null;
  lastEvent: ReturnEventView | null;
  // Records of the force-year changed since the current revision was submitted; null while not started.
  changedSinceSubmission: number | null;
}

export interface YearTracker {
  year: string;
  // The year's expected forces in the caller's scope: all of them for national roles.
  forcesShown: number;
  byState: Record<TrackerState, number>;
  forces: YearTrackerForce[];
}
