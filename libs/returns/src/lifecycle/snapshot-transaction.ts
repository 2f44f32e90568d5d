import type { DataSource, EntityManager } from 'typeorm';
import { DomainError, scopeSetting, type ForceScope } from '#libs/persistence';

// ScopedDb.run, but REPEATABLE READ: every query of a return (tables, high-water mark, validation,
// changed records) then sees the same moment, so a snapshot's parts agree with each other. The
// isolation level must be set before the first query, which is why ScopedDb itself cannot be used.
export async function inSnapshot<T>(
  ds: DataSource,
  scope: ForceScope,
  work: (em: EntityManager) => Promise<T>,
): Promise<T> {
  try {
    return await ds.transaction('REPEATABLE READ', async (em) => {
      await em.query(`SELECT set_config('cyberflag.forces', $1, true)`, [scopeSetting(scope)]);
      return work(em);
    });
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
