import { DomainError, type ForceScope, type ScopedDb } from '#libs/persistence';
import type { EntityManager } from 'typeorm';

// ScopedDb.run at REPEATABLE READ: every query of a return (tables, high-water mark, validation, changed
// records) then sees the same moment, so a snapshot's parts agree with each other.
export async function inSnapshot<T>(
  db: ScopedDb,
  scope: ForceScope,
  work: (em: EntityManager) => Promise<T>,
): Promise<T> {
  try {
    return await db.run(scope, work, { isolation: 'REPEATABLE READ' });
  } catch (e) {
    // 40001: another transition committed first (REPEATABLE READ refuses to overwrite it).
    if ((e as { driverError?: { code?: string } }).driverError?.code === '40001') {
      throw new DomainError(
        'VERSION_CONFLICT',
        'the return changed while this request ran: reload and retry',
      );
    }
    throw e;
  }
}
