// The set-based merge of staged rows into crimes, reviewed as SQL.
// Same crime reference in the same force = the same record: new references are inserted (no history row: a
// record's creation is the record itself, import_id and created_at; see migration 1780000007000), changed facts
// become amendments with history (reclassifications when the code changes), identical rows are no-ops.
// One statement per staged batch also writes the access log and returns the rows that would change a
// cancelled or transferred record or send a confirmed one back to draft (those are not merged).

import { CRIME_FACT_FIELDS } from '#libs/crimes/core';

// The recorded facts an import may set, as [column, history key], from the crime's field list (libs/crimes,
// crime-fields.ts). Status is included: a draft may be confirmed.
export const FACTS: [string, string][] = CRIME_FACT_FIELDS.map((f) => [f.column, f.key]);
const TIMESTAMPS = new Set(
  CRIME_FACT_FIELDS.filter((f) => f.kind === 'timestamp').map((f) => f.column),
);
const ARRAYS = new Set(CRIME_FACT_FIELDS.filter((f) => f.kind === 'text[]').map((f) => f.column));

// History values in the same JSON shape as the API writes: ISO instants in UTC with milliseconds, sorted arrays.
function json(expr: string, col: string): string {
  if (TIMESTAMPS.has(col))
    return `to_jsonb(to_char(${expr} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))`;
  if (ARRAYS.has(col)) return `to_jsonb(ARRAY(SELECT unnest(${expr}) ORDER BY 1))`;
  return `to_jsonb(${expr})`;
}
const differs = (col: string) => `c.${col} IS DISTINCT FROM s.${col}`;
const anyDiffers = (facts: [string, string][]) => facts.map(([col]) => differs(col)).join(' OR ');
const cols = FACTS.map(([c]) => c).join(', ');

// Keys of every row of the file that names a force and a reference, accepted or not, for the duplicate check.
export const CREATE_KEYS_SQL = `CREATE TEMP TABLE import_keys (force_id text NOT NULL, crime_reference text NOT NULL, line integer NOT NULL, accepted boolean NOT NULL) ON COMMIT DROP`;
export const keepKeysSql = (table: 'import_batch' | 'import_stage') =>
  `INSERT INTO import_keys SELECT force_id, crime_reference, line, true FROM ${table}`;
export const KEEP_REJECTED_KEYS_SQL = `
  INSERT INTO import_keys SELECT f, r, l, false FROM unnest($1::text[], $2::text[], $3::int[]) AS k(f, r, l)`;

// Later lines that name a (force, reference) an earlier line of the same file already named. Within one batch the
// validator finds them; across batches this finds them, in one pass at the end, so memory does not grow with the
// file. Kept in a table and read a page at a time: a file sent twice over has as many duplicates as rows.
export const FIND_DUPLICATES_SQL = `
  CREATE TEMP TABLE import_dups ON COMMIT DROP AS
  WITH firsts AS (
    SELECT force_id, crime_reference, min(line) AS first_line
    FROM import_keys GROUP BY force_id, crime_reference HAVING count(*) > 1
  )
  SELECT k.line, k.force_id, k.crime_reference, k.accepted, f.first_line
  FROM import_keys k JOIN firsts f USING (force_id, crime_reference)
  WHERE k.line <> f.first_line`;
export const INDEX_DUPLICATES_SQL = `CREATE INDEX ON import_dups (line)`;
export const DUPLICATE_PAGE_SQL = `SELECT line, force_id, crime_reference, first_line FROM import_dups WHERE line > $1 ORDER BY line LIMIT $2`;
export const COUNT_ACCEPTED_DUPLICATES_SQL = `SELECT count(*)::int AS n FROM import_dups WHERE accepted`;
export const DROP_DUPLICATES_FROM_STAGE_SQL = `DELETE FROM import_stage s USING import_dups d WHERE s.line = d.line`;

// The next chunk of a staged file into the batch table, in line order (the stage is indexed by line first).
export const INDEX_STAGE_SQL = `CREATE INDEX ON import_stage (line)`;
export const NEXT_CHUNK_SQL = `
  WITH moved AS (
    INSERT INTO import_batch SELECT * FROM import_stage WHERE line > $1 ORDER BY line LIMIT $2 RETURNING line
  )
  SELECT count(*)::int AS n, max(line) AS last FROM moved`;

// Only the fields that differ go into history (old -> new), as the API does.
const changes = `(SELECT jsonb_object_agg(key, value) FROM jsonb_each(jsonb_build_object(${FACTS.map(
  ([c, k]) =>
    `'${k}', CASE WHEN ${differs(c)} THEN jsonb_build_object('old', ${json(`c.${c}`, c)}, 'new', ${json(`s.${c}`, c)}) END`,
).join(', ')})) WHERE value <> 'null'::jsonb)`;

export interface MergeResult {
  inserted: number;
  amended: number;
  matched: number; // staged rows that named an existing record (amended, unchanged or in conflict)
  forces: string[];
  conflicts: { line: number; crime_reference: string; force_id: string; current_status: string }[];
}

// The staged rows whose reference exists already, with the state conflict each would cause. A record created
// earlier in the same import is never a state conflict: a second row for it is a duplicate, which
// FIND_DUPLICATES_SQL reports. importId: the parameter holding the import's id.
//
// Before probing, each force's span of references in the batch (min..max, in the index's order) is checked for
// any record at all: one index probe per force. Rows of a force with nothing in its span cannot match and skip
// the per-row probe. A first load, or a new year's references beside earlier years', probes ~44 times per batch
// instead of 10,000 (~2.4 s per million rows); a re-import finds its span occupied and probes every row, as before.
const matched = (importId: string) => `busy AS MATERIALIZED (
    SELECT COALESCE(array_agg(r.force_id), '{}') AS forces
    FROM (SELECT force_id, min(crime_reference) AS lo, max(crime_reference) AS hi FROM import_batch GROUP BY force_id) r
    -- LATERAL ... LIMIT 1, not EXISTS: the planner turns EXISTS into a semi-join that reads all of crimes.
    CROSS JOIN LATERAL (SELECT 1 FROM crimes c WHERE c.force_id = r.force_id AND c.crime_reference BETWEEN r.lo AND r.hi LIMIT 1) hit
  ), matched AS MATERIALIZED (
    SELECT s.line, s.force_id, s.crime_reference, c.id, c.status AS current_status,
      CASE WHEN c.import_id IS NOT DISTINCT FROM ${importId}::uuid THEN NULL
           WHEN c.status IN ('cancelled', 'transferred') AND (${anyDiffers(FACTS.filter(([c]) => c !== 'status'))}) THEN 'removed'
           WHEN c.status = 'confirmed' AND s.status = 'draft' THEN 'confirmed' END AS conflict,
      (${anyDiffers(FACTS)}) AS differs
    -- LATERAL ... LIMIT 1 (not flattened into a join): one index probe (uq_crimes_reference) per staged row,
    -- whatever the planner thinks of the temp table; a hash join would read all of crimes for every batch.
    FROM import_batch s
    JOIN LATERAL (SELECT * FROM crimes c WHERE c.force_id = s.force_id AND c.crime_reference = s.crime_reference LIMIT 1) c ON true
    WHERE s.force_id = ANY ((SELECT forces FROM busy)::text[])
  )`;

const CONFLICTS = `COALESCE(json_agg(json_build_object('line', line, 'crime_reference', crime_reference, 'force_id', force_id,
       'current_status', current_status) ORDER BY line), '[]')`;

// Once an all-or-nothing import has a rejected row nothing will be loaded: later batches are only checked for
// state conflicts, so the report is complete without writing what would be rolled back. $1 import id.
export const CONFLICTS_ONLY_SQL = `WITH ${matched('$1')} SELECT ${CONFLICTS} AS conflicts FROM matched WHERE conflict IS NOT NULL`;

// $1 user, $2 import id, $3 history reason, $4 route, $5 purpose, $6 request id.
export const MERGE_BATCH_SQL = `
  WITH ${matched('$2')}, ins AS (
    INSERT INTO crimes (id, force_id, crime_reference, ${cols}, rule_warnings, acknowledged_rules, created_by, updated_by, import_id)
    SELECT s.id, s.force_id, s.crime_reference, ${FACTS.map(([c]) => `s.${c}`).join(', ')}, s.rule_warnings, s.acknowledged_rules, $1, $1, $2
    FROM import_batch s
    WHERE NOT EXISTS (SELECT 1 FROM matched m WHERE m.line = s.line)
    RETURNING force_id, id
  ), target AS (
    SELECT c.force_id, c.id, c.version + 1 AS version, c.offence_code IS DISTINCT FROM s.offence_code AS reclassified,
      ${changes} AS changes, ${FACTS.map(([col]) => `s.${col}`).join(', ')}, s.rule_warnings, s.acknowledged_rules
    FROM matched m JOIN import_batch s ON s.line = m.line JOIN crimes c ON c.force_id = m.force_id AND c.id = m.id
    WHERE m.differs AND m.conflict IS NULL AND c.status IN ('draft', 'confirmed') AND (${anyDiffers(FACTS)})
    FOR UPDATE OF c
  ), upd AS (
    UPDATE crimes c SET ${FACTS.map(([col]) => `${col} = t.${col}`).join(', ')}, rule_warnings = t.rule_warnings,
      acknowledged_rules = t.acknowledged_rules, version = t.version, updated_by = $1, updated_at = now()
    FROM target t WHERE c.force_id = t.force_id AND c.id = t.id
    RETURNING c.force_id, c.id
  ), hist AS (
    INSERT INTO crime_history (force_id, crime_id, version, action, reason, changes, changed_by)
    SELECT t.force_id, t.id, t.version, CASE WHEN t.reclassified THEN 'reclassified' ELSE 'amended' END, $3, t.changes, $1
    FROM target t
  ), logged AS (
    -- One access-log entry per batch and kind (chunks of 20,000 bound an entry's size: a batch is 10,000 rows and
    -- whatever the last parsed slice added, so 10,000 split most batches into two entries, one of a few records).
    -- Set-based, and each record still findable by id
    -- (created ones through query.importId and crimes.import_id: migration 1780000011000).
    -- (row_number() without ORDER BY: any split into chunks will do, and it needs no sort. Force ids are
    -- lower-case ASCII, so byte order is their order and saves a locale-aware sort of a batch's values.)
    INSERT INTO access_log (user_id, action, force_ids, route, purpose, query, record_ids, record_count, request_id)
    SELECT $1, action, array_agg(DISTINCT force_id COLLATE "C" ORDER BY force_id COLLATE "C"), $4, $5, jsonb_build_object('importId', ($2::uuid)::text), array_agg(id), count(*), $6
    FROM (SELECT force_id, id, 'collection' AS action, (row_number() OVER () - 1) / 20000 AS chunk FROM ins
          UNION ALL
          SELECT force_id, id, 'alteration', (row_number() OVER () - 1) / 20000 FROM upd) t
    GROUP BY action, chunk
    ORDER BY action, chunk
    RETURNING action, record_count, force_ids
  )
  SELECT (SELECT COALESCE(sum(record_count), 0) FROM logged WHERE action = 'collection')::int AS inserted,
    (SELECT COALESCE(sum(record_count), 0) FROM logged WHERE action = 'alteration')::int AS amended,
    (SELECT COALESCE(array_agg(DISTINCT f), '{}') FROM logged, unnest(force_ids) AS f) AS forces,
    (SELECT count(*) FROM matched)::int AS matched,
    (SELECT ${CONFLICTS} FROM matched WHERE conflict IS NOT NULL) AS conflicts`;
