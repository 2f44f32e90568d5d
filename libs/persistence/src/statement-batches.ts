import { QueryFailedError } from 'typeorm';
import type { ForceScope } from './scoped-db.js';

// Writes from concurrent requests made together (issue #21): creates and amendments (CrimeWriteBatcher: one run of
// a statement per kind, one transaction), the reads before amendments (CrimeAmendBatcher), logged reads
// (CrimeReadBatcher) and access-log entries of their own (AccessLogBatcher).
// Most of PostgreSQL's work per write is per statement (planning, the statement triggers, commit and its WAL flush): measured bare, 10 records a statement cost a sixth as much each as 1. So a write that
// arrives while IN_FLIGHT statements of its kind are already running waits for one to finish and goes in the next
// statement with every other one that arrived meanwhile (at most MAX_RECORDS). An idle service writes each at
// once, alone: batching adds no wait; under load it replaces queueing for a connection.
//
// Nothing is acknowledged before its statement commits. One statement is one transaction: if it fails, nothing
// of it is written. If what one record holds made it fail, each of its writes is made again on its own, so each
// gets the answer it would have had alone (a duplicate reference: only that request's 409); if the database
// could not take it at all, each gets that error at once. Writes are batched only with writes of the same
// row-level-security scope (the same forces) and of the same shape (the statement's columns).
// One statement of a kind in flight at a time (per scope and shape, per process): measured twice back to back with
// bench:api on this 2-core machine (bench/README.md, ninth session), one in flight made larger batches and gained
// 6-34 % on creates, 17-25 % on amendments and 5-37 % on reads against two; PostgreSQL's commit is the costly part.
export const CREATE_BATCH = { inFlight: 1, maxRecords: 32 } as const;
const IN_FLIGHT = CREATE_BATCH.inFlight;
const MAX_RECORDS = CREATE_BATCH.maxRecords;

interface Waiting<I, O> {
  item: I;
  resolve: (out: O) => void;
  reject: (e: unknown) => void;
}

interface Queue<I, O> {
  scope: ForceScope;
  waiting: Waiting<I, O>[];
  running: number;
}

// An error one record of a statement can cause: a constraint (class 23: a duplicate reference), bad data (22),
// row-level security or a refused reference (42), a trigger's own exception (P0), a deadlock or serialization
// failure (40). Not: the connection (08), resources (53), an operator or a timeout (57), the server (58, XX), or no
// SQLSTATE at all (a pool that gave no connection).
function causedByARecord(e: unknown): boolean {
  if (!(e instanceof QueryFailedError)) return false;
  const code = (e.driverError as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && ['22', '23', '40', '42', 'P0'].includes(code.slice(0, 2));
}

// writeAll writes its items in one statement and gives each one's outcome, in the items' order.
export class StatementBatches<I, O> {
  private readonly queues = new Map<string, Queue<I, O>>();

  constructor(private readonly writeAll: (scope: ForceScope, items: I[]) => Promise<O[]>) {}

  submit(scope: ForceScope, item: I, shape = ''): Promise<O> {
    const key = `${scope === 'all' ? '*' : [...scope].sort().join(',')} ${shape}`;
    let q = this.queues.get(key);
    if (!q) {
      q = { scope, waiting: [], running: 0 };
      this.queues.set(key, q);
    }
    const queue = q;
    const done = new Promise<O>((resolve, reject) => queue.waiting.push({ item, resolve, reject }));
    this.pump(key, queue);
    return done;
  }

  private pump(key: string, q: Queue<I, O>): void {
    while (q.running < IN_FLIGHT && q.waiting.length > 0) {
      const batch = q.waiting.splice(0, MAX_RECORDS);
      q.running++;
      void this.write(q.scope, batch).finally(() => {
        q.running--;
        if (q.running === 0 && q.waiting.length === 0) this.queues.delete(key);
        else this.pump(key, q);
      });
    }
  }

  private async write(scope: ForceScope, batch: Waiting<I, O>[]): Promise<void> {
    let outs: O[];
    try {
      outs = await this.writeAll(
        scope,
        batch.map((w) => w.item),
      );
    } catch (e) {
      if (batch.length === 1 || !causedByARecord(e)) {
        // Alone, or the database was unreachable, busy or stopping: the same answer for each, at once (a pool
        // that is exhausted answers 503 fast, never once per waiting write).
        for (const w of batch) w.reject(e);
        return;
      }
      // Rolled back as a whole because of what one record holds: each again on its own, for its own answer (one
      // after another, so that a failed batch never takes more than its one connection).
      for (const w of batch) await this.write(scope, [w]);
      return;
    }
    batch.forEach((w, i) => w.resolve(outs[i]!));
  }
}
