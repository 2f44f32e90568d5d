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

// ≥ batchRows rows (the first batch ≥ 1,000, the last fewer): the accepted ones as a binary COPY stream, and the rejected ones.
export interface ParsedBatch {
  type: 'batch';
  copyData: Uint8Array; // empty when no row was accepted
  read: number;
  accepted: number;
  rejected: RejectedRow[];
  rejectedKeys: RowKey[];
}

// How many batches the worker may have sent and not yet seen acknowledged. Two, not one: parsing and merging
// take about as long as each other per batch but vary from batch to batch, and with one the database waited for
// every slower parse. Memory stays a few batches deep whatever the file's size.
export const BATCHES_AHEAD = 2;

export type ToWorker = { type: 'chunk'; data: Uint8Array } | { type: 'end' } | { type: 'ack' };

export type FromWorker =
  | { type: 'pull' } // the worker has parsed all it was given: send the next chunk of the file
  | ParsedBatch // the service acknowledges each batch as it takes it (see BATCHES_AHEAD)
  | { type: 'done' }
  | {
      type: 'error';
      message: string;
      fileError?: { code: FileErrorCode; message: string; details: ImportFileErrorDetails };
    };
