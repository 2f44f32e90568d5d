import type { Queryable } from '#libs/persistence';
import type { ForceYear } from '../force-year.js';
import { overForceYear } from './force-year-aggregate.query.js';

// Return table C, part 4: record-rule warnings still on the counted records, by rule code.
export const ruleWarningsCte = `
-- Table C (rule warnings outstanding): warn-severity findings stored on the records tables A and
-- B count (crimes.rule_warnings, rewritten on every save), by rule code, from fy.
-- rule_warnings is a set (the services write each code once), so a count of codes is a count
-- of records.
table_c_warnings AS (
  SELECT w.rule_code,
         count(*)::int                                         AS records,
         count(*) FILTER (WHERE r.flag = 'yes')::int           AS online_flagged,
         row_number() OVER (ORDER BY w.rule_code COLLATE "C")  AS ord
  FROM fy f
  CROSS JOIN LATERAL unnest(f.warned) AS r(warnings text[], flag text)
  CROSS JOIN LATERAL unnest(r.warnings) AS w(rule_code)
  GROUP BY w.rule_code
)`;

//   $1  force id
//   $2  financial year (start year)
export const ruleWarningsSql = overForceYear(
  ruleWarningsCte,
  `SELECT rule_code, records, online_flagged FROM table_c_warnings ORDER BY ord`,
);

export interface RuleWarningsRow {
  rule_code: string;
  records: number;
  online_flagged: number;
}

export function queryRuleWarnings(db: Queryable, p: ForceYear): Promise<RuleWarningsRow[]> {
  return db.query<RuleWarningsRow>(ruleWarningsSql, [p.forceId, p.year]);
}
