import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

export type ForceScope = readonly string[] | 'all';
export const APP_DB_ROLE = 'cyberflag_app';

// Every touch of record-level data runs here: one transaction whose row-level-security scope is set with
// SET LOCAL (set_config(..., true)), so it ends with the transaction and cannot leak to the next pool user.
@Injectable()
export class ScopedDb {
  constructor(private readonly ds: DataSource) {}

  run<T>(scope: ForceScope, work: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.ds.transaction(async (em) => {
      await em.query(`SELECT set_config('cyberflag.forces', $1, true)`, [scopeSetting(scope)]);
      return work(em);
    });
  }
}

export function scopeSetting(scope: ForceScope): string {
  if (scope === 'all') return '*';
  // Force ids are [a-z-] only; anything else would be a bug, so refuse rather than widen the scope.
  for (const f of scope)
    if (!/^[a-z][a-z-]*$/.test(f)) throw new Error(`invalid force id in scope: ${f}`);
  return scope.join(',');
}
