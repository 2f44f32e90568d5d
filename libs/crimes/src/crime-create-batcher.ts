import { Injectable } from '@nestjs/common';
import { ScopedDb, type ForceScope, StatementBatches } from '#libs/persistence';
import type { Crime } from './crime.entity.js';
import { CrimeStore, type NewRecord } from './crime-store.js';
import { RecentCrimes } from './crime-recent.js';

export { CREATE_BATCH } from '#libs/persistence';

// Creates from concurrent requests written together (statement-batches.ts): each create is one multi-row INSERT with
// its history row and access-log entry. Creates of different columns go together too (a missing value is DEFAULT).
@Injectable()
export class CrimeCreateBatcher {
  private readonly batches = new StatementBatches<NewRecord, Crime>(async (scope, records) => {
    const st = this.store.insertManyStatement(records);
    const crimes = this.store.writtenEach(
      await this.db.runStatement<Record<string, unknown>>(scope, st.sql, st.params, {
        prepare: true,
      }),
      records,
    );
    for (const crime of crimes) this.recent.remember(crime);
    return crimes;
  });

  constructor(
    private readonly db: ScopedDb,
    private readonly store: CrimeStore,
    private readonly recent: RecentCrimes,
  ) {}

  create(scope: ForceScope, record: NewRecord): Promise<Crime> {
    return this.batches.submit(scope, record);
  }
}
