import { Injectable } from '@nestjs/common';
import { DomainError, ScopedDb, type ForceScope, StatementBatches } from '#libs/persistence';
import type { Crime } from './crime.entity.js';
import { CrimeStore, type CrimeUpdate } from './crime-store.js';
import { AGAIN, CrimeWriteBatcher } from './crime-write-batcher.js';

// Amendments from concurrent requests written together (CrimeWriteBatcher): one multi-row UPDATE of the records,
// each at the version its request read, with each one's history row and access-log entry. Only amendments that
// set the same columns share a statement. The reads before them go together too: one SELECT of their ids.
@Injectable()
export class CrimeAmendBatcher {
  private readonly reads = new StatementBatches<string, Crime | null>(async (scope, ids) => {
    const st = this.store.findManyStatement(scope, ids);
    const rows = await this.db.runStatement<Record<string, unknown>>(scope, st.sql, st.params, {
      prepare: true,
      replan: true, // by key in a table that grows (ScopedStatementText)
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
    private readonly writes: CrimeWriteBatcher,
  ) {}

  // The record to amend as it is now, in the caller's forces (another force's answers 404, as find()).
  async read(scope: ForceScope, id: string): Promise<Crime> {
    const crime = await this.reads.submit(scope, id);
    if (!crime) throw new DomainError('NOT_FOUND', `crime ${id} not found`);
    return crime;
  }

  // The record as amended, or null if it is no longer at the version it was read at (nothing was written).
  async update(scope: ForceScope, update: CrimeUpdate): Promise<Crime | null> {
    for (;;) {
      const out = await this.writes.write(scope, { update });
      if (out !== AGAIN) return out;
    }
  }
}
