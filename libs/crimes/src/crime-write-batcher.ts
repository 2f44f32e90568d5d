import { Injectable } from '@nestjs/common';
import { ScopedDb, type ForceScope, StatementBatches } from '#libs/persistence';
import type { Crime } from './crime.entity.js';
import { CrimeStore, type CrimeUpdate, type NewRecord } from './crime-store.js';
import { RecentCrimes } from './crime-recent.js';

// Not written: another amendment of the same record was in the statement; it goes in the next one.
export const AGAIN = Symbol('again');

export type CrimeWrite = { create: NewRecord } | { update: CrimeUpdate };
export type CrimeWritten = Crime | null | typeof AGAIN;

// Creates and amendments from concurrent requests written together (statement-batches.ts): the creates' statement
// and one statement per shape of amendment, in one transaction and one round trip (ScopedDb.runStatements), so a
// service that both records and amends pays one commit per cycle, not one for each kind.
@Injectable()
export class CrimeWriteBatcher {
  private readonly batches = new StatementBatches<CrimeWrite, CrimeWritten>((scope, writes) =>
    this.writeAll(scope, writes),
  );

  constructor(
    private readonly db: ScopedDb,
    private readonly store: CrimeStore,
    private readonly recent: RecentCrimes,
  ) {}

  write(scope: ForceScope, write: CrimeWrite): Promise<CrimeWritten> {
    return this.batches.submit(scope, write);
  }

  private async writeAll(scope: ForceScope, writes: CrimeWrite[]): Promise<CrimeWritten[]> {
    const creates: NewRecord[] = [];
    // Two amendments of one record never share a run: the UPDATE would apply one of them and the history and the
    // log would record both. The later one waits for the next run (and there meets its version).
    const ids = new Set<string>();
    const shapes = new Map<string, CrimeUpdate[]>();
    const taken = new Set<CrimeWrite>();
    for (const w of writes) {
      if ('create' in w) creates.push(w.create);
      else if (ids.has(w.update[0].id)) continue;
      else {
        ids.add(w.update[0].id);
        const shape = this.store.updateShape(w.update);
        const group = shapes.get(shape);
        if (group) group.push(w.update);
        else shapes.set(shape, [w.update]);
      }
      taken.add(w);
    }
    const statements = [
      ...(creates.length > 0 ? [this.store.insertManyStatement(creates)] : []),
      // An amendment finds its record by key in a table that grows: planned for it as it is (ScopedStatementText).
      ...[...shapes.values()].map((updates) => ({
        ...this.store.updateManyStatement(updates),
        replan: true,
      })),
    ];
    const results = await this.db.runStatements<Record<string, unknown>>(scope, statements, {
      prepare: true,
    });
    const made = this.store.writtenEach(creates.length > 0 ? results[0]! : [], creates);
    const changed = new Map(
      results
        .slice(creates.length > 0 ? 1 : 0)
        .flatMap((rows) => rows.map((r) => [String(r.id), r])),
    );
    let next = 0;
    return writes.map((w) => {
      if (!taken.has(w)) return AGAIN;
      let crime: Crime | null;
      if ('create' in w) crime = made[next++]!;
      else {
        // No row: the record was no longer at the version the amendment was read at; nothing of it was written.
        const row = changed.get(w.update[0].id);
        crime = row ? this.store.written([row]) : null;
      }
      if (crime) this.recent.remember(crime);
      return crime;
    });
  }
}
