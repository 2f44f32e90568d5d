import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { QueryRunner } from 'typeorm';
import type { RequestContext } from '#libs/auth';
import { DomainError, ScopedDb, type RawScopedTransaction } from '#libs/persistence';
import { RULE_CONTEXT, type RuleContext } from '#libs/recording-rules';
import { ImportFileError } from '../import-error.js';
import { duplicateProblem } from '../validate-batch.js';
import type { ImportFormat, ImportInput } from '../parse-stream.js';
import {
  IMPORT_LOCK_SPACE,
  ImportJobs,
  importIdFor,
  type ImportCounts,
  type ImportJobView,
  type ImportMode,
} from './import-jobs.js';
import * as sql from './merge.sql.js';
import { parseInWorker } from './parse-in-worker.js';
import type { ParsedBatch, RowKey } from './parse-worker.protocol.js';
import { copySql, CREATE_BATCH_SQL, CREATE_STAGE_SQL, EMPTY_BATCH_SQL } from './staging.js';
import {
  COPY_KEYS_SQL,
  DIRECT_COPY_SQL,
  LOADER_AVAILABLE_SQL,
  LOADER_ROLE,
  LOG_CHUNK_IDS,
  LOG_DIRECT_SQL,
  toDirectCopy,
} from './direct-copy.js';

export interface ImportOptions {
  clientId?: string; // a caller-chosen id, so it can poll progress while the upload runs (stored as importIdFor)
  format: ImportFormat;
  mode: ImportMode;
  fileName?: string | null;
  onProgress?: (c: Readonly<ImportCounts>) => void;
}

const PROGRESS_EVERY_MS = 500;
// Rows staged and merged per round trip: large enough that per-statement costs vanish, small enough that the
// batch being validated and the batch being merged stay a few MB each.
export const IMPORT_BATCH_ROWS = 10_000;

// One import as run() starts it: its job id, who runs it, the file and options, the controller that cancels it and
// the callback that registers its cancel with this process (for cancelAll).
interface ImportJob {
  id: string;
  rc: RequestContext;
  input: ImportInput;
  opts: ImportOptions;
  abort: AbortController;
  register: (cancel: (reason: string) => void) => void;
}

interface Run {
  id: string;
  rc: RequestContext;
  qr: QueryRunner;
  client: PoolClient;
  counts: ImportCounts;
  forces: Set<string>;
  // all_or_nothing merges each batch as it arrives, while the next one is parsed: any rejected row rolls the
  // whole import back, so a later duplicate cannot leave a wrong result. Other modes stage the whole file and
  // merge it at the end, a batch at a time, after dropping duplicates.
  streaming: boolean;
  // Some merged row named a record that existed before its batch: only then can rows of different batches name
  // the same record (see reportDuplicates).
  matchedAny: boolean;
  // Aborted by cancelAll (the app is stopping): the import stops at its next step and rolls back.
  signal: AbortSignal;
  // Batches still go straight into crimes (direct-copy.ts): the loader role is there, and no row so far named a
  // record that exists, nor was rejected. The first that does sends this batch and the rest through the stage.
  direct: boolean;
  // The role the transaction works as, to return to after the loader's COPY.
  role: string;
}

// Thrown inside a run when it is cancelled; becomes the job's error and a 503 (send the file again later).
class ImportCancelled extends Error {}

// Asks PostgreSQL to cancel the statement a connection is running, as psql's Ctrl-C does: a CancelRequest with the
// backend's pid and secret key on a new socket. Needs no privilege, unlike pg_cancel_backend for another role's
// session. Fire and forget: if nothing runs, or the server is gone, there is nothing to cancel.
function cancelRunningStatement(client: PoolClient): void {
  const c = client as unknown as {
    host?: string;
    port?: number;
    processID?: number | null;
    secretKey?: number | null;
  };
  if (!c.host || !c.port || typeof c.processID !== 'number' || typeof c.secretKey !== 'number')
    return;
  const msg = Buffer.alloc(16);
  msg.writeInt32BE(16, 0);
  msg.writeInt32BE(80877102, 4); // the CancelRequest code
  msg.writeInt32BE(c.processID, 8);
  msg.writeInt32BE(c.secretKey, 12);
  const socket = connect({ host: c.host, port: c.port }, () => socket.end(msg));
  socket.on('error', () => undefined);
  socket.setTimeout(2000, () => socket.destroy());
}

// stream parse -> validate in batches -> COPY into a staging table -> set-based merge, all in ONE transaction:
// a failure, a rejected all-or-nothing import, a dry run or a killed process leaves no rows from the import.
@Injectable()
export class ImportService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Imports');
  // The imports this process runs, so a shutdown can cancel them and wait until each has rolled back.
  private readonly active = new Map<
    string,
    { cancel(reason: string): void; settled: Promise<void> }
  >();

  constructor(
    private readonly db: ScopedDb,
    private readonly jobs: ImportJobs,
    @Inject(RULE_CONTEXT) private readonly rules: RuleContext,
  ) {}

  // On start: an import whose process died (killed, crashed, its server restarted) left its job `running` forever.
  async onApplicationBootstrap(): Promise<void> {
    const swept = await this.jobs.sweepInterrupted();
    if (swept.length > 0)
      this.logger.warn(
        `${swept.length} interrupted import(s) marked failed (their process ended mid-import): ${swept.join(', ')}`,
      );
  }

  // The app is stopping: every running import stops at its next step (its running statement is cancelled), rolls
  // back, and is marked failed with the reason; resolves once all have.
  async cancelAll(reason: string): Promise<number> {
    const runs = [...this.active.values()];
    for (const r of runs) r.cancel(reason);
    await Promise.all(runs.map((r) => r.settled));
    return runs.length;
  }

  async run(rc: RequestContext, input: ImportInput, opts: ImportOptions): Promise<ImportJobView> {
    const id =
      opts.clientId === undefined ? randomUUID() : importIdFor(rc.actor.userId, opts.clientId);
    const abort = new AbortController();
    let settle = () => undefined as void;
    const settled = new Promise<void>((done) => (settle = done));
    let entry: { cancel(reason: string): void; settled: Promise<void> } | undefined;
    try {
      const register = (cancel: (reason: string) => void) => {
        entry = { cancel, settled };
        this.active.set(id, entry);
      };
      return await this.runJob({ id, rc, input, opts, abort, register });
    } finally {
      if (entry && this.active.get(id) === entry) this.active.delete(id);
      settle();
    }
  }

  private async runJob(job: ImportJob): Promise<ImportJobView> {
    const { id, rc, abort } = job;
    const counts: ImportCounts = {
      read: 0,
      accepted: 0,
      rejected: 0,
      inserted: 0,
      amended: 0,
      unchanged: 0,
    };
    const state = { started: false };
    let outcome: 'rejected' | 'completed';
    try {
      // The import's ONE transaction, in the importer's force scope and naming them (cyberflag.user), so the job's
      // final state can be written in it: row-level security lets a user update the import they created.
      outcome = await this.db.runRaw(
        rc.actor.forces,
        (tx) => this.inTransaction(tx, job, counts, state),
        { user: rc.actor.userId },
      );
    } catch (e) {
      if (!state.started) throw e;
      throw await this.failed(id, e, abort, counts);
    }
    if (outcome === 'rejected') {
      Object.assign(counts, { inserted: 0, amended: 0, unchanged: 0 });
      await this.jobs.finish(id, 'rejected', counts, []);
      const view = await this.view(id);
      throw new DomainError(
        'RULE_VIOLATION',
        `import rejected: ${counts.rejected} of ${counts.read} rows failed; nothing was loaded`,
        { import: view },
      );
    }
    return this.view(id);
  }

  // Everything the import does inside its transaction. 'rejected': an all-or-nothing import with a rejected row
  // (rolled back); a dry run is rolled back too, but its job is completed here.
  private async inTransaction(
    tx: RawScopedTransaction,
    job: ImportJob,
    counts: ImportCounts,
    state: { started: boolean },
  ): Promise<'rejected' | 'completed'> {
    const { id, rc, input, opts, abort, register } = job;
    const { queryRunner: qr, client } = tx;
    const scope = rc.actor.forces;
    let inFlight: Promise<void> | undefined;
    let batches: AsyncGenerator<ParsedBatch> | undefined;
    try {
      // The job's lock, held by this transaction until it commits or rolls back: the start-up sweep (sweepInterrupted)
      // fails only a `running` job whose lock is free, i.e. whose importing session has ended. Taken before the job
      // row exists, so no other process ever sees a `running` job without its lock. Held already: the id is in use.
      const [{ locked }]: { locked: boolean }[] = await qr.query(
        `SELECT pg_try_advisory_xact_lock($1, hashtext($2)) AS locked`,
        [IMPORT_LOCK_SPACE, id],
      );
      state.started =
        locked &&
        (await this.jobs.start({
          id,
          createdBy: rc.actor.userId,
          scope: scope === 'all' ? ['*'] : [...scope],
          format: opts.format,
          mode: opts.mode,
          fileName: opts.fileName ?? null,
        }));
      if (!state.started)
        throw new DomainError(
          'INVALID_INPUT',
          'X-Import-Id is already used by one of your imports: send a new UUID',
        );
      register((reason) => {
        if (abort.signal.aborted) return;
        abort.abort(new ImportCancelled(reason));
        cancelRunningStatement(client);
      });
      // The same statements run once per batch: JIT would compile them (and the trigger queries) afresh each time,
      // ~15 % of the database's time in a profile, for batches that take a few hundred milliseconds.
      await qr.query(`SET LOCAL jit = off`);
      await qr.query(CREATE_BATCH_SQL);
      if (opts.mode !== 'all_or_nothing') await qr.query(CREATE_STAGE_SQL);
      await qr.query(sql.CREATE_KEYS_SQL);
      const [loader]: { available: boolean; role: string }[] = await qr.query(LOADER_AVAILABLE_SQL);
      const run: Run = {
        id,
        rc,
        qr,
        client,
        counts,
        forces: new Set(),
        streaming: opts.mode === 'all_or_nothing',
        matchedAny: false,
        signal: abort.signal,
        direct: loader.available,
        role: loader.role,
      };
      // Rejects when the import is cancelled, so a wait for the parser (a slow upload) ends at once too.
      const cancelled = new Promise<never>((_, fail) => {
        if (abort.signal.aborted) fail(abort.signal.reason as Error);
        abort.signal.addEventListener('abort', () => fail(abort.signal.reason as Error), {
          once: true,
        });
      });
      cancelled.catch(() => undefined);
      let last = 0;
      // Parsing and validation run in a worker thread, a batch ahead of the database; duplicates across batches
      // are found in SQL at the end, so memory does not grow with the file.
      batches = parseInWorker(input, {
        format: opts.format,
        scope: { forces: scope },
        config: this.rules.config,
        batchRows: IMPORT_BATCH_ROWS,
      });
      for (;;) {
        const next = await Promise.race([batches.next(), cancelled]);
        if (next.done) break;
        const batch = next.value;
        counts.read += batch.read;
        counts.accepted += batch.accepted;
        counts.rejected += batch.rejected.length;
        await this.jobs.reject(id, batch.rejected);
        // The database merges the previous batch while this one was parsed and validated; one at a time.
        await inFlight;
        abort.signal.throwIfAborted();
        const copyData = Buffer.from(
          batch.copyData.buffer,
          batch.copyData.byteOffset,
          batch.copyData.byteLength,
        );
        inFlight = this.load(run, copyData, batch.accepted, batch.rejectedKeys);
        inFlight.catch(() => undefined); // awaited on the next turn or below; not an unhandled rejection meanwhile
        if (Date.now() - last > PROGRESS_EVERY_MS) {
          last = Date.now();
          await this.jobs.progress(id, counts);
          opts.onProgress?.(counts);
        }
      }
      batches = undefined;
      await inFlight;
      inFlight = undefined;
      await this.finishStaging(run);
      opts.onProgress?.(counts);
      if (counts.rejected > 0 && opts.mode === 'all_or_nothing') {
        tx.rollbackOnly();
        return 'rejected';
      }
      counts.unchanged = counts.accepted - counts.inserted - counts.amended;
      abort.signal.throwIfAborted();
      if (opts.mode === 'dry_run') {
        tx.rollbackOnly();
        await this.jobs.finish(id, 'completed', counts, [...run.forces].sort());
      } else {
        // Marked completed inside the import's transaction: the rows and the job's state commit together, so a
        // process killed around the commit never leaves loaded rows behind a job the sweep would call failed.
        await this.jobs.finish(id, 'completed', counts, [...run.forces].sort(), undefined, qr);
      }
      return 'completed';
    } catch (e) {
      // Stops the parse worker once its pending read settles (when the request ends, if the upload stalled), and
      // lets a running load end before ScopedDb rolls the transaction back on this connection.
      void batches?.return?.(undefined).catch(() => undefined);
      await inFlight?.catch(() => undefined);
      throw e;
    }
  }

  // The import failed after its job started (its transaction is rolled back): the job is marked failed, and the
  // error the caller gets says why.
  private async failed(
    id: string,
    e: unknown,
    abort: AbortController,
    counts: ImportCounts,
  ): Promise<unknown> {
    const cancelled = abort.signal.aborted ? (abort.signal.reason as Error) : undefined;
    if (e instanceof DomainError && !cancelled) return e;
    const error = cancelled
      ? { code: 'IMP-CANCELLED', message: `${cancelled.message}; nothing was loaded` }
      : e instanceof ImportFileError
        ? { code: e.code, message: e.message }
        : { code: 'IMP-FAILED', message: 'the import failed; nothing was loaded' };
    // If the database is gone this fails too: the job stays `running` until the next start sweeps it.
    await this.jobs
      .finish(id, 'failed', counts, [], error)
      .catch((f: unknown) =>
        this.logger.warn(
          `import ${id} failed and could not be marked failed: ${f instanceof Error ? f.message : String(f)}`,
        ),
      );
    if (cancelled)
      return new DomainError(
        'UNAVAILABLE',
        `${cancelled.message}: the import was cancelled and nothing was loaded; send the file again shortly`,
        { import: await this.view(id).catch(() => undefined) },
      );
    if (e instanceof ImportFileError)
      return new DomainError('INVALID_INPUT', e.message, {
        code: e.code,
        import: await this.view(id),
      });
    return e;
  }

  // One batch: COPY it straight into crimes (all its rows new), or into the batch table and merge it (streaming),
  // or add it to the whole-file stage.
  private async load(
    run: Run,
    copyData: Buffer,
    rows: number,
    rejectedKeys: readonly RowKey[],
  ): Promise<void> {
    const { qr, client } = run;
    run.signal.throwIfAborted();
    // Direct only while nothing was rejected: a rejected row may name the same record as a later accepted one,
    // which the duplicate check at the end then rejects too, so the later one must still be in the stage.
    const direct =
      run.direct &&
      run.counts.rejected === 0 &&
      rows > 0 &&
      (await this.loadDirect(run, copyData, rows));
    const table = run.streaming ? 'import_batch' : 'import_stage';
    if (!direct && run.streaming) await qr.query(EMPTY_BATCH_SQL);
    if (!direct && copyData.length > 0)
      await pipeline(Readable.from([copyData]), client.query(copyFrom(copySql(table))));
    if (rejectedKeys.length > 0) {
      await qr.query(sql.KEEP_REJECTED_KEYS_SQL, [
        rejectedKeys.map((r) => r.forceId),
        rejectedKeys.map((r) => r.crimeReference),
        rejectedKeys.map((r) => r.line),
      ]);
    }
    if (!direct && run.streaming && copyData.length > 0) {
      await qr.query(sql.keepKeysSql('import_batch'));
      // Already rejected: nothing will be loaded, so only look for state conflicts (the report lists every bad row).
      if (run.counts.rejected > 0)
        await this.reportConflicts(
          run,
          (await qr.query(sql.CONFLICTS_ONLY_SQL, [run.id]))[0].conflicts,
        );
      else await this.merge(run);
    }
  }

  // The batch COPYed into crimes as the loader role, in a savepoint: false (and nothing of it kept) when a row names
  // a record that exists, or that another transaction is creating (the COPY waits for it to end): then this batch
  // and the rest of the file take the staging path, whose merge amends such records. Set-based like the merge:
  // the aggregate by crimes' statement triggers, one access-log entry per batch, no history (a record's creation
  // is the record itself).
  private async loadDirect(run: Run, copyData: Buffer, rows: number): Promise<boolean> {
    const { client, rc, id } = run;
    const batch = toDirectCopy(copyData, rows, rc.actor.userId, id);
    await client.query(`SAVEPOINT import_direct; SET LOCAL ROLE ${LOADER_ROLE}`);
    try {
      await pipeline(Readable.from([batch.data]), client.query(copyFrom(DIRECT_COPY_SQL)));
    } catch (e) {
      const pgError = e as { code?: string; constraint?: string };
      // Undoes the rows and the role together.
      const undo = client.query(
        `ROLLBACK TO SAVEPOINT import_direct; RELEASE SAVEPOINT import_direct`,
      );
      if (pgError.code === '23505' && pgError.constraint === 'uq_crimes_reference') {
        await undo;
        run.direct = false;
        return false;
      }
      // Any other failure ends the import (its transaction rolls back): its own error is the one to report.
      await undo.catch(() => undefined);
      throw e;
    }
    await client.query(
      `SET LOCAL ROLE ${client.escapeIdentifier(run.role)}; RELEASE SAVEPOINT import_direct`,
    );
    run.signal.throwIfAborted();
    for (let i = 0; i < rows; i += LOG_CHUNK_IDS) {
      const forces = [...new Set(batch.forceIds.slice(i, i + LOG_CHUNK_IDS))].sort();
      await client.query(LOG_DIRECT_SQL, [
        rc.actor.userId,
        forces,
        rc.route,
        rc.purpose ?? `import ${id}`,
        id,
        batch.ids.subarray(16 * i, 16 * Math.min(rows, i + LOG_CHUNK_IDS)),
        rc.requestId,
      ]);
    }
    await pipeline(Readable.from([batch.keys]), client.query(copyFrom(COPY_KEYS_SQL)));
    run.counts.inserted += rows;
    for (const f of batch.forceIds) run.forces.add(f);
    return true;
  }

  private async finishStaging(run: Run): Promise<void> {
    const { qr } = run;
    if (!run.streaming) await qr.query(sql.keepKeysSql('import_stage'));
    await this.reportDuplicates(run);
    if (run.streaming) return;
    // Merge the stage through the batch table, a chunk at a time: bounded statements, conflict lists and log rows.
    await qr.query(sql.INDEX_STAGE_SQL);
    for (let last = 0; ;) {
      await qr.query(EMPTY_BATCH_SQL);
      const [chunk]: { n: number; last: number | null }[] = await qr.query(sql.NEXT_CHUNK_SQL, [
        last,
        IMPORT_BATCH_ROWS,
      ]);
      if (chunk.n === 0 || chunk.last === null) break;
      last = chunk.last;
      await this.merge(run);
    }
  }

  // Rows naming a record an earlier row of the file already named: reported a page at a time, counted, and (when
  // the merge waits for the end of the file) dropped from the stage.
  private async reportDuplicates(run: Run): Promise<void> {
    const { qr, counts } = run;
    // Merged as it came, nothing rejected, and no batch named an existing record: then no two rows share a record,
    // and the check over every key (~1 s per million rows) can be skipped. Two rows of one batch would have been
    // rejected by the validator; of two batches, the later one would have found the record the earlier one created
    // or named, which counts as a match.
    if (run.streaming && counts.rejected === 0 && !run.matchedAny) return;
    await qr.query(sql.FIND_DUPLICATES_SQL);
    await qr.query(sql.INDEX_DUPLICATES_SQL);
    for (let last = 0; ;) {
      const page: {
        line: number;
        force_id: string;
        crime_reference: string;
        first_line: number;
      }[] = await qr.query(sql.DUPLICATE_PAGE_SQL, [last, IMPORT_BATCH_ROWS]);
      if (page.length === 0) break;
      last = page[page.length - 1].line;
      await this.jobs.reject(
        run.id,
        page.map((d) => ({
          status: 'rejected' as const,
          line: d.line,
          crimeReference: d.crime_reference,
          forceId: d.force_id,
          problems: [duplicateProblem(d.force_id, d.crime_reference, d.first_line)],
        })),
      );
    }
    const [{ n }]: { n: number }[] = await qr.query(sql.COUNT_ACCEPTED_DUPLICATES_SQL);
    counts.accepted -= n;
    counts.rejected += n;
    if (!run.streaming && n > 0) await qr.query(sql.DROP_DUPLICATES_FROM_STAGE_SQL);
  }

  private async merge(run: Run): Promise<void> {
    const { rc, id, counts } = run;
    run.signal.throwIfAborted();
    const [r]: sql.MergeResult[] = await run.qr.query(sql.MERGE_BATCH_SQL, [
      rc.actor.userId,
      id,
      `import ${id}`,
      rc.route,
      rc.purpose ?? `import ${id}`,
      rc.requestId,
    ]);
    counts.inserted += r.inserted;
    counts.amended += r.amended;
    if (r.matched > 0) run.matchedAny = true;
    for (const f of r.forces) run.forces.add(f);
    await this.reportConflicts(run, r.conflicts);
  }

  private async reportConflicts(run: Run, conflicts: sql.MergeResult['conflicts']): Promise<void> {
    const { id, counts } = run;
    if (conflicts.length === 0) return;
    await this.jobs.reject(
      id,
      conflicts.map((c) => ({
        status: 'rejected' as const,
        line: c.line,
        crimeReference: c.crime_reference,
        forceId: c.force_id,
        problems: [
          c.current_status === 'confirmed'
            ? { code: 'IMP-STATE-002', message: 'a confirmed record cannot go back to draft' }
            : {
                code: 'IMP-STATE-001',
                message: `the record is ${c.current_status}; it cannot be changed`,
              },
        ],
      })),
    );
    counts.rejected += conflicts.length;
    counts.accepted -= conflicts.length;
  }

  async view(id: string): Promise<ImportJobView> {
    const job = await this.jobs.get(id, 'system');
    if (!job) throw new DomainError('NOT_FOUND', `import ${id} not found`);
    return job;
  }
}
