// The parse worker: reads the file's bytes as the import service sends them, parses, validates (scope,
// duplicates within a batch, every recording rule) and turns accepted rows into binary COPY data, a batch at a time.
// It runs in its own thread: the service's event loop stays free to feed the database at once, and the garbage
// of parsing stays in the worker's own, capped heap. Protocol: parse-worker.protocol.ts.
import { parentPort, workerData } from 'node:worker_threads';
import { Catalogue } from '#libs/catalogue/core';
import type { RuleContext } from '#libs/recording-rules/core';
import { DuplicateTracker } from '../duplicate-tracker.js';
import { ImportFileError } from '../import-error.js';
import { parseCrimeBatches } from '../parse-stream.js';
import { validateBatch, type RejectedRow } from '../validate-batch.js';
import {
  BATCHES_AHEAD,
  type FromWorker,
  type ParseWorkerData,
  type RowKey,
  type ToWorker,
} from './parse-worker.protocol.js';
import { CopyBinaryBuffer } from './staging.js';

const port = parentPort;
if (!port) throw new Error('parse-worker.js runs as a worker thread');
const data = workerData as ParseWorkerData;
const catalogue = new Catalogue();
const ctx: RuleContext = {
  offence: (code) => catalogue.offence(code),
  force: (id) => catalogue.force(id),
  config: data.config,
};
const post = (m: FromWorker, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);

const chunks: Uint8Array[] = [];
let ended = false;
let wake: (() => void) | undefined;
let unacked = 0;
let acked: (() => void) | undefined;
port.on('message', (m: ToWorker) => {
  if (m.type === 'ack') {
    unacked--;
    acked?.();
    acked = undefined;
    return;
  }
  if (m.type === 'chunk') chunks.push(m.data);
  else ended = true;
  wake?.();
  wake = undefined;
});

async function* input(): AsyncGenerator<Buffer> {
  for (;;) {
    const chunk = chunks.shift();
    if (chunk) yield Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    else if (ended) return;
    else
      await new Promise<void>((resolve) => {
        wake = resolve;
        post({ type: 'pull' });
      });
  }
}

const FIRST_BATCH_ROWS = 1_000;
const staged = new CopyBinaryBuffer();
let tracker = new DuplicateTracker();
let read = 0;
let sent = 0;
let accepted = 0;
let rejected: RejectedRow[] = [];
let rejectedKeys: RowKey[] = [];

function sendBatch(): Promise<void> {
  const copyData = staged.rows > 0 ? staged.finish() : new Uint8Array(0); // its own ArrayBuffer, handed over uncopied
  post({ type: 'batch', copyData, read, accepted, rejected, rejectedKeys }, [
    copyData.buffer as ArrayBuffer,
  ]);
  staged.reset();
  tracker = new DuplicateTracker();
  read = accepted = 0;
  rejected = [];
  rejectedKeys = [];
  sent++;
  if (++unacked < BATCHES_AHEAD) return Promise.resolve();
  return new Promise<void>((resolve) => (acked = resolve));
}

async function run(): Promise<void> {
  for await (const rows of parseCrimeBatches(input(), data.format)) {
    for (const v of validateBatch(rows, ctx, data.scope, tracker)) {
      if (v.status === 'accepted') {
        staged.append(v);
        accepted++;
      } else {
        rejected.push(v);
        if (v.forceId !== null && v.crimeReference !== null)
          rejectedKeys.push({ forceId: v.forceId, crimeReference: v.crimeReference, line: v.line });
      }
    }
    read += rows.length;
    // The first batch is small, so the database starts work after a fraction of a batch's parse (the worker is
    // still starting up and its code is not yet optimised then).
    if (read >= (sent === 0 ? Math.min(FIRST_BATCH_ROWS, data.batchRows) : data.batchRows))
      await sendBatch();
  }
  if (read > 0) await sendBatch();
  post({ type: 'done' });
}

run().catch((e: unknown) => {
  // The rows read before a file error are reported too (their rejections), then the error ends the import.
  if (read > 0)
    post({
      type: 'batch',
      copyData: new Uint8Array(0),
      read,
      accepted,
      rejected,
      rejectedKeys: [],
    });
  if (e instanceof ImportFileError) {
    post({
      type: 'error',
      message: e.message,
      fileError: { code: e.code, message: e.message.slice(e.code.length + 1), details: e.details },
    });
  } else {
    post({ type: 'error', message: e instanceof Error ? e.message : String(e) });
  }
});
