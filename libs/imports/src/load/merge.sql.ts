// The set-based merge of the staging table into crimes, reviewed as SQL.
// Same crime reference in the same force = the same record: new references are inserted, changed facts become
// amendments (reclassifications when the code changes), identical rows are no-ops. History rows are written
// by the same statements; the touched ids go to import_touched for the access log.

// The recorded facts an import may set, as [column, history key]. Status is included: a draft may be confirmed.
export const FACTS: [string, string][] = [
  ['offence_code', 'offenceCode'], ['reported_at', 'reportedAt'], ['recorded_at', 'recordedAt'], ['offence_from', 'offenceFrom'],
  ['offence_to', 'offenceTo'], ['online_flag', 'onlineFlag'], ['online_method', 'onlineMethod'], ['online_platform', 'onlinePlatform'],
  ['victim_age', 'victimAge'], ['victim_sex', 'victimSex'], ['suspect_age', 'suspectAge'], ['domestic_abuse', 'domesticAbuse'],
  ['hate_strands', 'hateStrands'], ['child_sexual_exploitation', 'childSexualExploitation'], ['child_sexual_abuse', 'childSexualAbuse'],
  ['status', 'status'],
];
const TIMESTAMPS = new Set(['reported_at', 'recorded_at', 'offence_from', 'offence_to']);

// History values in the same JSON shape as the API writes: ISO instants in UTC with milliseconds, sorted arrays.
function json(expr: string, col: string): string {
  if (TIMESTAMPS.has(col)) return `to_jsonb(to_char(${expr} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))`;
  if (col === 'hate_strands') return `to_jsonb(ARRAY(SELECT unnest(${expr}) ORDER BY 1))`;
  return `to_jsonb(${expr})`;
}
const differs = (col: string) => `c.${col} IS DISTINCT FROM s.${col}`;
export const FACTS_DIFFER = FACTS.map(([col]) => differs(col)).join(' OR ');

export const CREATE_TOUCHED_SQL = `CREATE TEMP TABLE import_touched (force_id text NOT NULL, id uuid NOT NULL, action text NOT NULL) ON COMMIT DROP`;

export const STAGE_INDEX_SQL = `CREATE UNIQUE INDEX ON import_stage (force_id, crime_reference)`;

// Rows that would change a cancelled or transferred record, or send a confirmed record back to draft.
export const STATE_CONFLICTS_SQL = `
  SELECT s.line, s.crime_reference, s.force_id, c.status AS current_status, s.status AS new_status
  FROM import_stage s JOIN crimes c USING (force_id, crime_reference)
  WHERE (c.status IN ('cancelled', 'transferred') AND (${FACTS.filter(([c]) => c !== 'status').map(([c]) => differs(c)).join(' OR ')}))
     OR (c.status = 'confirmed' AND s.status = 'draft')
  ORDER BY s.line`;

export const DROP_STAGE_LINES_SQL = `DELETE FROM import_stage WHERE line = ANY ($1::int[])`;

const cols = FACTS.map(([c]) => c).join(', ');
// $1 user, $2 history reason.
export const INSERT_NEW_SQL = `
  WITH ins AS (
    INSERT INTO crimes (force_id, crime_reference, ${cols}, rule_warnings, acknowledged_rules, created_by, updated_by)
    SELECT s.force_id, s.crime_reference, ${FACTS.map(([c]) => `s.${c}`).join(', ')}, s.rule_warnings, s.acknowledged_rules, $1, $1
    FROM import_stage s
    WHERE NOT EXISTS (SELECT 1 FROM crimes c WHERE c.force_id = s.force_id AND c.crime_reference = s.crime_reference)
    RETURNING force_id, id, crime_reference
  ), hist AS (
    INSERT INTO crime_history (force_id, crime_id, version, action, reason, changes, changed_by)
    SELECT ins.force_id, ins.id, 1, 'created', $2, s.created_changes, $1
    FROM ins JOIN import_stage s USING (force_id, crime_reference)
  )
  INSERT INTO import_touched SELECT force_id, id, 'collection' FROM ins`;

// Only the fields that differ go into history (old -> new), as the API does.
const changes = `(SELECT jsonb_object_agg(key, value) FROM jsonb_each(jsonb_build_object(${FACTS.map(
  ([c, k]) => `'${k}', CASE WHEN ${differs(c)} THEN jsonb_build_object('old', ${json(`c.${c}`, c)}, 'new', ${json(`s.${c}`, c)}) END`,
).join(', ')})) WHERE value <> 'null'::jsonb)`;

export const AMEND_EXISTING_SQL = `
  WITH target AS (
    SELECT c.force_id, c.id, c.version + 1 AS version, c.offence_code IS DISTINCT FROM s.offence_code AS reclassified,
      ${changes} AS changes, ${FACTS.map(([col]) => `s.${col}`).join(', ')}, s.rule_warnings, s.acknowledged_rules
    FROM crimes c JOIN import_stage s USING (force_id, crime_reference)
    WHERE c.status IN ('draft', 'confirmed') AND (${FACTS_DIFFER})
    FOR UPDATE OF c
  ), upd AS (
    UPDATE crimes c SET ${FACTS.map(([col]) => `${col} = t.${col}`).join(', ')}, rule_warnings = t.rule_warnings,
      acknowledged_rules = t.acknowledged_rules, version = t.version, updated_by = $1, updated_at = now()
    FROM target t WHERE c.force_id = t.force_id AND c.id = t.id
    RETURNING c.force_id, c.id
  ), hist AS (
    INSERT INTO crime_history (force_id, crime_id, version, action, reason, changes, changed_by)
    SELECT t.force_id, t.id, t.version, CASE WHEN t.reclassified THEN 'reclassified' ELSE 'amended' END, $2, t.changes, $1
    FROM target t
  )
  INSERT INTO import_touched SELECT force_id, id, 'alteration' FROM upd`;

// One access-log entry per 10,000 touched records and kind: set-based, and each record still findable by id.
// $1 user, $2 route, $3 purpose, $4 request id.
export const LOG_TOUCHED_SQL = `
  INSERT INTO access_log (user_id, action, force_ids, route, purpose, record_ids, record_count, request_id)
  SELECT $1, action, array_agg(DISTINCT force_id ORDER BY force_id), $2, $3, array_agg(id), count(*), $4
  FROM (SELECT *, (row_number() OVER (PARTITION BY action ORDER BY id) - 1) / 10000 AS chunk FROM import_touched) t
  GROUP BY action, chunk
  ORDER BY action, chunk`;

export const TOUCHED_COUNTS_SQL = `
  SELECT count(*) FILTER (WHERE action = 'collection')::int AS inserted, count(*) FILTER (WHERE action = 'alteration')::int AS amended,
    COALESCE(array_agg(DISTINCT force_id), '{}') AS forces
  FROM import_touched`;
