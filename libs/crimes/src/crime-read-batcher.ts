import { Injectable } from '@nestjs/common';
import { ScopedDb, type ForceScope, StatementBatches } from '#libs/persistence';
import { CrimeStore, type LoggedRead } from './crime-store.js';

type Row = Record<string, unknown>;

// Reads by id from concurrent requests made together (statement-batches.ts, issue #21), each with its own request's
// access-log entry: one SELECT of their ids and one INSERT of their entries, in one statement and one commit.
// Most of a logged read's cost in PostgreSQL is per statement (the commit and its WAL flush, the entry's
// transaction), as it was for creates. Only reads of the same scope go together; a read is answered only after its
// statement has committed, so its entry is stored before its record leaves. A record not found gets no entry.
@Injectable()
export class CrimeReadBatcher {
  private readonly batches = new StatementBatches<LoggedRead, Row | null>(async (scope, reads) => {
    const st = this.store.findLoggedManyStatement(scope, reads);
    const rows = await this.db.runStatement<Row>(scope, st.sql, st.params, {
      prepare: true,
      replan: true, // by key in a table that grows (ScopedStatementText)
    });
    // PostgreSQL writes a uuid in lower case; the request may have asked in either.
    const byId = new Map(rows.map((r) => [String(r.id), r]));
    return reads.map((r) => byId.get(r.id.toLowerCase()) ?? null);
  });

  constructor(
    private readonly db: ScopedDb,
    private readonly store: CrimeStore,
  ) {}

  // The record's row (for CrimeStore.found()), or null if it is not in these forces.
  read(scope: ForceScope, read: LoggedRead): Promise<Row | null> {
    return this.batches.submit(scope, read);
  }
}
