import { Injectable } from '@nestjs/common';
import type { ForceScope } from '#libs/persistence';
import type { Crime } from './crime.entity.js';
import type { NewRecord } from './crime-store.js';
import { CrimeWriteBatcher } from './crime-write-batcher.js';

export { CREATE_BATCH } from '#libs/persistence';

// Creates from concurrent requests written together (CrimeWriteBatcher): each create is a row of one multi-row
// INSERT with its history row and access-log entry. Creates of different columns go together too (a missing value
// is DEFAULT).
@Injectable()
export class CrimeCreateBatcher {
  constructor(private readonly writes: CrimeWriteBatcher) {}

  async create(scope: ForceScope, record: NewRecord): Promise<Crime> {
    return (await this.writes.write(scope, { create: record })) as Crime;
  }
}
