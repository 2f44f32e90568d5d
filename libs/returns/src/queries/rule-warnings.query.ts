import type { ForceYear, Queryable } from '../queryable.js';

// Return table C, part 4: record-rule warnings still on the counted records, by rule code.
export const ruleWarningsSql = `
-- Table C (rule warnings outstanding): warn-severity findings stored on the records tables A and
-- B count (crimes.rule_warnings, rewritten on every save), by rule code.
--   $1  force id
--   $2  financial year (start year)
-- rule_warnings is a set (the services write each code once), so a count of codes is a count
-- of records.
SELECT w.rule_code,
       count(*)::int                                       AS records,
       count(*) FILTER (WHERE c.online_flag = 'yes')::int  AS online_flagged
FROM crimes c
CROSS JOIN LATERAL unnest(c.rule_warnings) AS w(rule_code)
WHERE c.force_id = $1
  AND c.financial_year = $2
  AND c.status = 'confirmed'
  AND c.rule_warnings <> '{}'  -- most records have none: skip them before unnest
GROUP BY w.rule_code
ORDER BY w.rule_code COLLATE "C"
`;

export interface RuleWarningsRow {
  rule_code: string;
  records: number;
  online_flagged: number;
}

export function queryRuleWarnings(db: Queryable, p: ForceYear): Promise<RuleWarningsRow[]> {
  return db.query<RuleWarningsRow>(ruleWarningsSql, [p.forceId, p.year]);
}
