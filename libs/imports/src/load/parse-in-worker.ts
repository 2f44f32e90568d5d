// The service's side of the parse worker: feeds it the file a chunk at a time as it asks, and yields its
// batches. The worker parses at most BATCHES_AHEAD batches ahead and then waits, so memory stays a few batches
// deep whatever the file's size; its heap is capped.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ImportFileError } from '../import-error.js';
import type { ImportInput } from '../parse-stream.js';
import type { FromWorker, ParsedBatch, ParseWorkerData } from './parse-worker.protocol.js';

// Parsing needs little live memory (one batch of binary COPY data, the catalogue); the cap keeps its garbage small.
// (The parser takes the file in small slices, parse-stream.ts, so few rows are alive at a collection.)
const WORKER_LIMITS = { maxOldGenerationSizeMb: 48, maxYoungGenerationSizeMb: 8 };

function workerFile(): string {
  const compiled = fileURLToPath(new URL('./parse-worker.js', import.meta.url));
  if (existsSync(compiled)) return compiled;
  // Running from the TypeScript sources (jest): the worker runs compiled, from dist/ (npm test builds first).
  return fileURLToPath(
    new URL('../../../../dist/libs/imports/src/load/parse-worker.js', import.meta.url),
  );
}

export async function* parseInWorker(
  input: ImportInput,
  data: ParseWorkerData,
): AsyncGenerator<ParsedBatch> {
  const source = (input as AsyncIterable<Buffer | Uint8Array | string>)[Symbol.asyncIterator]();
  const worker = new Worker(workerFile(), { workerData: data, resourceLimits: WORKER_LIMITS });
  const inbox: FromWorker[] = [];
  let failure: Error | undefined;
  let notify: (() => void) | undefined;
  const wakeUp = () => {
    notify?.();
    notify = undefined;
  };
  const feed = async () => {
    try {
      const next = await source.next();
      if (next.done) worker.postMessage({ type: 'end' });
      else
        worker.postMessage({
          type: 'chunk',
          data: typeof next.value === 'string' ? Buffer.from(next.value, 'utf8') : next.value,
        });
    } catch (e) {
      failure ??= e instanceof Error ? e : new Error(String(e)); // the upload broke off, say
      wakeUp();
    }
  };
  worker.on('message', (m: FromWorker) => {
    if (m.type === 'pull') void feed();
    else {
      inbox.push(m);
      wakeUp();
    }
  });
  worker.on('error', (e) => {
    failure ??= e;
    wakeUp();
  });
  worker.on('exit', (code) => {
    failure ??= new Error(`the parse worker stopped (exit code ${code})`);
    wakeUp();
  });
  try {
    for (;;) {
      const m = inbox.shift();
      if (!m) {
        if (failure !== undefined) throw failure;
        await new Promise<void>((resolve) => (notify = resolve));
        continue;
      }
      if (m.type === 'done') return;
      if (m.type === 'error') {
        if (m.fileError)
          throw new ImportFileError(m.fileError.code, m.fileError.message, m.fileError.details);
        throw new Error(`parsing failed: ${m.message}`);
      }
      if (m.type !== 'batch') continue;
      yield m;
      worker.postMessage({ type: 'ack' });
    }
  } finally {
    worker.removeAllListeners();
    await worker.terminate();
  }
}
