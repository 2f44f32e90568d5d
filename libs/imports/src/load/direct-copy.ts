import { CRIME_FIELDS } from '#libs/crimes/core';

// The direct path of an import (issue #22 item 4): a batch whose rows are all new to their forces is COPYed
// straight into crimes, as cyberflag_loader (migration 1780000027200), instead of through the staging table and
// the merge. The parse worker writes each batch once, in the staging table's binary layout; this turns it into
// crimes' layout: the line number dropped, the importer and the import appended to every row. One pass over the
// bytes, a few milliseconds a batch, on the main thread while the database works.

export const LOADER_ROLE = 'cyberflag_loader';

// crimes' columns in the order of the converted rows, from the crime's field list (libs/crimes, crime-fields.ts).
export const DIRECT_COLUMNS = [
  'id',
  ...CRIME_FIELDS.map((f) => f.column),
  'rule_warnings',
  'acknowledged_rules',
  'created_by',
  'updated_by',
  'import_id',
];
export const DIRECT_COPY_SQL = `COPY crimes (${DIRECT_COLUMNS.join(', ')}) FROM STDIN (FORMAT binary)`;

// Whether this connection may take the direct path: the loader role exists, bypasses row-level security (COPY
// FROM is refused otherwise) and the current role may become it. Else every import stages.
export const LOADER_AVAILABLE_SQL = `
  SELECT EXISTS (SELECT 1 FROM pg_roles r WHERE r.rolname = '${LOADER_ROLE}' AND r.rolbypassrls
                   AND pg_has_role(current_user, r.oid, 'MEMBER')) AS available,
         current_user AS role`;

// One access-log entry per batch (chunks of 20,000 ids, as the merge writes them), for the records a batch created.
// The ids travel as their 16 bytes each, one after another: a text array of 10,000 UUIDs costs Node more to
// build and pg more to escape than the database takes to split this.
// $1 user, $2 force ids, $3 route, $4 purpose, $5 import id, $6 record ids (bytea), $7 request id.
export const LOG_DIRECT_SQL = `
  INSERT INTO access_log (user_id, action, force_ids, route, purpose, query, record_ids, record_count, request_id)
  SELECT $1, 'collection', $2::text[], $3, $4, jsonb_build_object('importId', ($5::uuid)::text), ids,
         cardinality(ids), $7
  FROM (SELECT ARRAY(SELECT encode(substring($6::bytea FROM i * 16 + 1 FOR 16), 'hex')::uuid
                     FROM generate_series(0, length($6::bytea) / 16 - 1) AS i ORDER BY i) AS ids) t`;
export const LOG_CHUNK_IDS = 20_000;

// The keys of the rows the batch loaded, for the file's duplicate check at the end (import_keys, merge.sql.ts).
export const COPY_KEYS_SQL = `COPY import_keys (force_id, crime_reference, line, accepted) FROM STDIN`;

export interface DirectBatch {
  data: Buffer; // the COPY stream for DIRECT_COPY_SQL
  ids: Buffer; // the records' ids, 16 bytes each, in row order
  forceIds: string[]; // one per row
  keys: string; // COPY text for COPY_KEYS_SQL
}

const HEADER = 11 + 4 + 4; // signature, flags, header extension length
const FIELD_COUNT = DIRECT_COLUMNS.length;
// Fields of a staged row after its line number: id, the crime's fields, warnings, acknowledgements.
const KEPT_FIELDS = 1 + CRIME_FIELDS.length + 2;
const REFERENCE = 1 + CRIME_FIELDS.findIndex((f) => f.column === 'crime_reference');
const FORCE = 1 + CRIME_FIELDS.findIndex((f) => f.column === 'force_id');

// The fields every row of the import ends with: created_by, updated_by, import_id.
function constantFields(userId: string, importId: string): Buffer {
  const user = Buffer.from(userId, 'utf8');
  const id = Buffer.from(importId.replace(/-/g, ''), 'hex');
  if (id.length !== 16) throw new Error(`not a UUID: ${importId}`);
  const out = Buffer.alloc(2 * (4 + user.length) + 4 + 16);
  let p = 0;
  for (let i = 0; i < 2; i++) {
    p = out.writeInt32BE(user.length, p);
    p += user.copy(out, p);
  }
  p = out.writeInt32BE(16, p);
  id.copy(out, p);
  return out;
}

// COPY text escapes; references and force ids are validated to need none, but a stray one must not break the row.
const copyText = (s: string): string =>
  /[\\\t\n\r]/.test(s)
    ? s.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r')
    : s;

// `staged`: one complete binary COPY stream in the staging layout (CopyBinaryBuffer) holding `rows` rows.
export function toDirectCopy(
  staged: Buffer,
  rows: number,
  userId: string,
  importId: string,
): DirectBatch {
  const tail = constantFields(userId, importId);
  // Each row loses its line field (8 bytes) and gains the constant fields.
  const out = Buffer.allocUnsafe(staged.length + rows * tail.length);
  staged.copy(out, 0, 0, HEADER);
  let o = HEADER;
  let p = HEADER;
  const ids = Buffer.allocUnsafe(rows * 16);
  let count = 0;
  const forceIds: string[] = [];
  const keys: string[] = [];
  for (;;) {
    const n = staged.readInt16BE(p);
    if (n === -1) break;
    if (n !== KEPT_FIELDS + 1) throw new Error(`staged row has ${n} fields`);
    const line = staged.readInt32BE(p + 6);
    p += 2 + 8;
    const start = p;
    let reference = '';
    let force = '';
    for (let f = 0; f < KEPT_FIELDS; f++) {
      const len = staged.readInt32BE(p);
      if (f === 0) staged.copy(ids, 16 * count++, p + 4, p + 20);
      else if (f === REFERENCE) reference = staged.toString('utf8', p + 4, p + 4 + len);
      else if (f === FORCE) force = staged.toString('utf8', p + 4, p + 4 + len);
      p += 4 + Math.max(len, 0);
    }
    o = out.writeInt16BE(FIELD_COUNT, o);
    o += staged.copy(out, o, start, p);
    o += tail.copy(out, o);
    forceIds.push(force);
    keys.push(`${copyText(force)}\t${copyText(reference)}\t${line}\tt\n`);
  }
  if (count !== rows) throw new Error(`staged batch has ${count} rows, not ${rows}`);
  o = out.writeInt16BE(-1, o);
  return { data: out.subarray(0, o), ids, forceIds, keys: keys.join('') };
}
