import { Injectable } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { ScopedDb, type ForceScope } from '#libs/persistence';
import type { Crime } from './crime.entity.js';
import { CrimeStore, type NewRecord } from './crime-store.js';

// Creates from concurrent requests written together (issue #21). Each create is one statement with its history
// row and access-log entry; written one by one, most of PostgreSQL's work per create is per statement (parse, plan,
// triggers, commit and its WAL flush): measured bare, 10 records a statement cost a sixth as much each as 1.
// So a create that arrives while IN_FLIGHT statements of its scope are already running waits for one to finish
// and goes in the next statement with every other create that arrived meanwhile (at most MAX_RECORDS). An idle
// service writes each create at once, alone: batching adds no wait; under load it replaces queueing for a
// connection.
//
// Nothing is acknowledged before its statement commits, so a create answered 201 is as durable as before. One
// statement is one transaction: if it fails, nothing of it is written. If what one record holds made it fail,
// each of its creates is written again on its own, so each gets the answer it would have had alone (a duplicate
// reference: only that request's 409); if the database could not take it at all, each gets that error at once.
// Creates are batched only with creates of the same row-level-security scope (the same forces).
export const CREATE_BATCH = { inFlight: 2, maxRecords: 32 } as const;
const IN_FLIGHT = CREATE_BATCH.inFlight;
const MAX_RECORDS = CREATE_BATCH.maxRecords;

interface Waiting {
  record: NewRecord;
  resolve: (crime: Crime) => void;
  reject: (e: unknown) => void;
}

interface Queue {
  scope: ForceScope;
  waiting: Waiting[];
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

@Injectable()
export class CrimeCreateBatcher {
  private readonly queues = new Map<string, Queue>();

  constructor(
    private readonly db: ScopedDb,
    private readonly store: CrimeStore,
  ) {}

  create(scope: ForceScope, record: NewRecord): Promise<Crime> {
    const key = scope === 'all' ? '*' : [...scope].sort().join(',');
    let q = this.queues.get(key);
    if (!q) {
      q = { scope, waiting: [], running: 0 };
      this.queues.set(key, q);
    }
    const queue = q;
    const done = new Promise<Crime>((resolve, reject) =>
      queue.waiting.push({ record, resolve, reject }),
    );
    this.pump(key, queue);
    return done;
  }

  private pump(key: string, q: Queue): void {
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

  private async write(scope: ForceScope, batch: Waiting[]): Promise<void> {
    const records = batch.map((w) => w.record);
    let crimes: Crime[];
    try {
      const st = this.store.insertManyStatement(records);
      crimes = this.store.writtenEach(
        await this.db.runStatement<Record<string, unknown>>(scope, st.sql, st.params, {
          prepare: true,
        }),
        records,
      );
    } catch (e) {
      if (batch.length === 1 || !causedByARecord(e)) {
        // Alone, or the database was unreachable, busy or stopping: the same answer for each, at once (a pool
        // that is exhausted answers 503 fast, never once per waiting create).
        for (const w of batch) w.reject(e);
        return;
      }
      // Rolled back as a whole because of what one record holds: each again on its own, for its own answer (one
      // after another, so that a failed batch never takes more than its one connection).
      for (const w of batch) await this.write(scope, [w]);
      return;
    }
    batch.forEach((w, i) => w.resolve(crimes[i]!));
  }
}
