import type { Crime } from './crime.entity.js';
import type { CrimeHistory, FieldChanges } from './crime-history.entity.js';
import { diff } from './crime-store.js';
import { AMENDABLE_FIELDS } from './crime.types.js';

// The facts a 'created' history entry lists (old null -> new), on every recording path.
export const CREATED_FIELDS = [
  'offenceCode',
  'incidentReference',
  'status',
  ...AMENDABLE_FIELDS,
] as const satisfies readonly (keyof Crime)[];

type StoredEntry = Pick<CrimeHistory, 'version' | 'changes'>;

// A record created by a bulk import has no stored 'created' row (one row per imported record doubled the cost
// of an import). Its first version is exact all the same: history keeps old -> new for every later change, so
// undoing those changes, newest first, from the record as it is now gives the values it was created with.
export function derivedCreationChanges(crime: Crime, later: readonly StoredEntry[]): FieldChanges {
  const now = diff({} as Crime, crime, CREATED_FIELDS); // normalised (ISO instants, sorted arrays), nulls left out
  const values: Record<string, unknown> = Object.fromEntries(
    CREATED_FIELDS.map((f) => [f, now[f]?.new ?? null]),
  );
  for (const entry of [...later].sort((a, b) => b.version - a.version)) {
    for (const [field, change] of Object.entries(entry.changes)) {
      if (field in values) values[field] = change.old;
    }
  }
  const created: FieldChanges = {};
  for (const f of CREATED_FIELDS)
    if (values[f] !== null) created[f] = { old: null, new: values[f] };
  return created;
}
