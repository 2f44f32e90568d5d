// A crime's recorded fields, defined once: the import's columns, the staging table and its COPY stream, the
// merge's list of facts and the mapper to rule facts are all read from this list (issue #14 item 5). Adding a
// field means a row here, a migration, the entity column, the DTOs and the import reader for its values.
// Plain data, no Nest: the import's parse worker loads it through `#libs/crimes/core`.
import type { CrimeFacts } from '#libs/recording-rules/core';

export type CrimeFieldKind = 'text' | 'timestamp' | 'smallint' | 'boolean' | 'text[]';

export interface CrimeField {
  key: keyof CrimeFacts; // the property in the API, the rule facts and the entity
  column: string; // the crimes column, and the import file's column of the same name
  kind: CrimeFieldKind;
  nullable: boolean;
  // An import file must have the column (values may still be empty where the field is nullable), or may omit it.
  importColumn: 'required' | 'optional';
  // 'key': names the record (force and reference), never changed by an import. 'fact': compared by the merge,
  // and an amendment's history keeps old and new.
  role: 'key' | 'fact';
}

// In the order of the import format's columns (required first, as docs/import-format.md lists them).
export const CRIME_FIELDS = [
  f('crimeReference', 'crime_reference', 'text', 'required', 'key'),
  f('forceId', 'force_id', 'text', 'required', 'key'),
  f('offenceCode', 'offence_code', 'text', 'required'),
  f('reportedAt', 'reported_at', 'timestamp', 'required'),
  f('recordedAt', 'recorded_at', 'timestamp', 'required'),
  f('offenceFrom', 'offence_from', 'timestamp', 'required'),
  f('offenceTo', 'offence_to', 'timestamp', 'required', 'fact', true),
  f('onlineFlag', 'online_flag', 'text', 'required'),
  f('onlineMethod', 'online_method', 'text', 'required', 'fact', true),
  f('onlinePlatform', 'online_platform', 'text', 'optional', 'fact', true),
  f('victimAge', 'victim_age', 'smallint', 'required', 'fact', true),
  f('victimSex', 'victim_sex', 'text', 'required'),
  f('suspectAge', 'suspect_age', 'smallint', 'optional', 'fact', true),
  f('domesticAbuse', 'domestic_abuse', 'boolean', 'optional'),
  f('hateStrands', 'hate_strands', 'text[]', 'optional'),
  f('childSexualExploitation', 'child_sexual_exploitation', 'boolean', 'optional'),
  f('childSexualAbuse', 'child_sexual_abuse', 'boolean', 'optional'),
  f('status', 'status', 'text', 'required'),
] as const;

function f<K extends keyof CrimeFacts, C extends string>(
  key: K,
  column: C,
  kind: CrimeFieldKind,
  importColumn: CrimeField['importColumn'],
  role: CrimeField['role'] = 'fact',
  nullable = false,
): CrimeField & { key: K; column: C } {
  return { key, column, kind, nullable, importColumn, role };
}

export type CrimeFieldColumn = (typeof CRIME_FIELDS)[number]['column'];
// Every rule fact has a row above (a new fact without one fails the type check here), except `incident`: the other
// records of the same incident, which the recording services read for the principal-crime rule, not a column.
type Missing = Exclude<keyof CrimeFacts, (typeof CRIME_FIELDS)[number]['key'] | 'incident'>;
export const CRIME_FIELDS_COMPLETE: [Missing] extends [never] ? true : Missing = true;

// The facts an import may set, in order: [column, history key] (status included: a draft may be confirmed).
export const CRIME_FACT_FIELDS: readonly CrimeField[] = CRIME_FIELDS.filter(
  (c) => c.role === 'fact',
);

const SQL_TYPES: Record<CrimeFieldKind, string> = {
  text: 'text',
  timestamp: 'timestamptz',
  smallint: 'smallint',
  boolean: 'boolean',
  'text[]': 'text[]',
};
// `name type [NOT NULL]` for a table holding these fields (the import's staging table).
export const crimeFieldColumnsSql = (fields: readonly CrimeField[] = CRIME_FIELDS): string =>
  fields.map((c) => `${c.column} ${SQL_TYPES[c.kind]}${c.nullable ? '' : ' NOT NULL'}`).join(',\n');

// The rule facts of anything that carries them (an entity, an input), as a new object of exactly those keys.
export function pickCrimeFacts(source: CrimeFacts): CrimeFacts {
  const out: Record<string, unknown> = {};
  for (const { key } of CRIME_FIELDS) out[key] = source[key];
  return out as unknown as CrimeFacts;
}
