// DPA 2018 s.62: the kinds of processing that must be logged.
export const ACCESS_ACTIONS = [
  'collection',
  'alteration',
  'consultation',
  'disclosure',
  'combination',
  'erasure',
] as const;
export type AccessAction = (typeof ACCESS_ACTIONS)[number];

export interface AccessEntry {
  userId: string;
  action: AccessAction;
  forceIds: string[]; // forces whose data the access concerned
  route: string; // e.g. 'GET /crimes/:id'
  purpose?: string | null;
  justification?: string | null;
  query?: Record<string, unknown> | null; // for list queries: the filters, not every row
  recordIds?: string[];
  recordCount: number;
  requestId?: string | null;
}

export interface AccessLogView {
  seq: string;
  at: Date;
  userId: string;
  action: AccessAction;
  forceIds: string[];
  purpose: string | null;
  justification: string | null;
  route: string;
  query: Record<string, unknown> | null;
  recordIds: string[]; // for a force-scoped reader, only the records of their forces
  recordIdsWithheld: number; // ids of records outside the reader's forces, left out of recordIds
  recordCount: number;
  requestId: string | null;
  hash: string | null; // null until the sealer chains the entry
}

export interface AccessLogFilter {
  userId?: string;
  forceId?: string;
  action?: AccessAction;
  recordId?: string;
  from?: Date;
  to?: Date;
  afterSeq?: string;
  limit: number;
}

// A search as the auditor states it: dates as Date or ISO 8601 text, the page size optional (100), and any
// number of record ids (a crime reference can name one record in each of several forces).
export interface AccessLogSearch extends Omit<AccessLogFilter, 'from' | 'to' | 'limit'> {
  from?: Date | string;
  to?: Date | string;
  limit?: number;
  recordIds?: string[];
}

export interface ChainVerification {
  ok: boolean;
  entries: number; // sealed entries checked
  head: { seq: string; pos: string; hash: string } | null; // the sealed head
  // Entries written but not chained yet (the sealer runs within a second or so of their commit).
  unsealed: { entries: number; fromSeq: string | null; toSeq: string | null };
  checkpoint: { pos: string; seq: string; at: string } | null; // the signed head kept outside the database
  anchors: { source: string; pos: string; seq: string; at: string }[]; // checkpoints given to check against too
  broken: { seq: string; problem: string }[];
}
