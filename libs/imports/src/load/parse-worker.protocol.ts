// Messages between the import service and its parse worker (parse-worker.ts).
import type { RulesConfig } from '#libs/recording-rules';
import type { FileErrorCode, ImportFileErrorDetails } from '../import-error.js';
import type { ImportFormat } from '../parse-stream.js';
import type { ImportScope, RejectedRow } from '../validate-batch.js';

export interface ParseWorkerData {
  format: ImportFormat;
  scope: ImportScope;
  config: RulesConfig;
  batchRows: number;
}

// A rejected row that names a record: it still counts for the duplicate check.
export interface RowKey {
  forceId: string;
  crimeReference: string;
  line: number;
}

// ≥ batchRows rows (fewer at the end of the file): the accepted ones as a binary COPY stream, and the rejected ones.
export interface ParsedBatch {
  type: 'batch';
  copyData: Uint8Array; // empty when no row was accepted
  read: number;
  accepted: number;
  rejected: RejectedRow[];
  rejectedKeys: RowKey[];
}

export type ToWorker = { type: 'chunk'; data: Uint8Array } | { type: 'end' } | { type: 'ack' };

export type FromWorker =
  | { type: 'pull' } // the worker has parsed all it was given: send the next chunk of the file
  | ParsedBatch // the worker then waits for 'ack' before it parses on
  | { type: 'done' }
  | { type: 'error'; message: string; fileError?: { code: FileErrorCode; message: string; details: ImportFileErrorDetails } };
