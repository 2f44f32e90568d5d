import { Injectable } from '@nestjs/common';
import { DomainError, ScopedDb, type ForceScope, StatementBatches } from '#libs/persistence';
import type { Crime } from './crime.entity.js';
import { CrimeStore, type CrimeUpdate } from './crime-store.js';
import { RecentCrimes } from './crime-recent.js';

// Not written: another amendment of the same record was in the statement; it goes in the next one.
const AGAIN = Symbol('again');

// Amendments from concurrent requests written together (statement-batches.ts): one multi-row UPDATE of the records,
// each at the version its request read, with each one's history row and access-log entry. Only amendments that
// set the same columns share a statement. The reads before them go together too: one SELECT of their ids.
@Injectable()
export class CrimeAmendBatcher {
  private readonly batches = new StatementBatches<CrimeUpdate, Crime | null | typeof AGAIN>(
    (scope, updates) => this.updateAll(scope, updates),
  );
  private readonly reads = new StatementBatches<string, Crime | null>(async (scope, ids) => {
    const st = this.store.findManyStatement(scope, ids);
    const rows = await this.db.runStatement<Record<string, unknown>>(scope, st.sql, st.params, {
      prepare: true,
    });
    const byId = new Map(rows.map((r) => [String(r.id), r]));
    return ids.map((id) => {
      const row = byId.get(id);
      return row ? this.store.written([row]) : null;
    });
  });

  constructor(
    private readonly db: ScopedDb,
    private readonly store: CrimeStore,
    private readonly recent: RecentCrimes,
  ) {}

  // The record to amend as it is now, in the caller's forces (another force's answers 404, as find()).
  async read(scope: ForceScope, id: string): Promise<Crime> {
    const crime = await this.reads.submit(scope, id);
    if (!crime) throw new DomainError('NOT_FOUND', `crime ${id} not found`);
    return crime;
  }

  // The record as amended, or null if it is no longer at the version it was read at (nothing was written).
  async update(scope: ForceScope, update: CrimeUpdate): Promise<Crime | null> {
    const shape = this.store.updateShape(update);
    for (;;) {
      const out = await this.batches.submit(scope, update, shape);
      if (out !== AGAIN) return out;
    }
  }

  private async updateAll(
    scope: ForceScope,
    updates: CrimeUpdate[],
  ): Promise<(Crime | null | typeof AGAIN)[]> {
    // Two amendments of one record never share a statement: the UPDATE would apply one of them and the history
    // and the log would record both. The later one waits for the next statement (and there meets its version).
    const ids = new Set<string>();
    const now = updates.filter(([before]) => !ids.has(before.id) && Boolean(ids.add(before.id)));
    const st = this.store.updateManyStatement(now);
    const rows = await this.db.runStatement<Record<string, unknown>>(scope, st.sql, st.params, {
      prepare: true,
    });
    const byId = new Map(rows.map((r) => [String(r.id), r]));
    const written = new Set(now);
    return updates.map((u) => {
      if (!written.has(u)) return AGAIN;
      const row = byId.get(u[0].id);
      if (!row) return null;
      const crime = this.store.written([row]);
      this.recent.remember(crime);
      return crime;
    });
  }
}
