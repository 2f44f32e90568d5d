import type { Queryable } from '#libs/persistence';
import type { ForceYear } from '../force-year.js';
import type { ChildSexualOffencesRow } from './child-sexual-offences.query.js';
import { childSexualOffencesCte } from './child-sexual-offences.query.js';
import { forceYearCtes, type FiguresSource } from './force-year-aggregate.query.js';
import { offencesByFlagCte, type OffencesByFlagRow } from './offences-by-flag.query.js';
import { qualityCte, type QualityRow } from './quality.query.js';
import { removalsCte, type RemovalsRow } from './removals.query.js';
import { returnMetadataCte, type ReturnMetadataRow } from './return-metadata.query.js';
import { ruleWarningsCte, type RuleWarningsRow } from './rule-warnings.query.js';

// Every crimes-based part of the return in ONE statement: the force-year is read once into fy
// (MATERIALIZED: computed once, read by each table), from the maintained aggregate or by scanning the
// records (FiguresSource), and each table's rows come back as one JSON array in its fixed order. The
// table SQL itself lives in the per-table files.
export const returnTablesSqlFrom = (source: FiguresSource): string => `
WITH ${forceYearCtes(source)},
${returnMetadataCte},
${offencesByFlagCte},
${childSexualOffencesCte},
${qualityCte},
${removalsCte},
${ruleWarningsCte}
SELECT (SELECT row_to_json(m) FROM return_metadata m)                      AS metadata,
       (SELECT json_agg(t ORDER BY t.ord) FROM table_a t)                  AS table_a,
       (SELECT json_agg(t ORDER BY t.ord) FROM table_b t)                  AS table_b,
       (SELECT row_to_json(t) FROM table_c_quality t)                      AS quality,
       (SELECT json_agg(t ORDER BY t.ord) FROM table_c_removals t)         AS removals,
       COALESCE((SELECT json_agg(t ORDER BY t.ord) FROM table_c_warnings t), '[]'::json) AS rule_warnings
`;
const RETURN_TABLES_SQL: Record<FiguresSource, string> = {
  figures: returnTablesSqlFrom('figures'),
  records: returnTablesSqlFrom('records'),
};
export const returnTablesSql = RETURN_TABLES_SQL.records;

export interface ReturnTablesRow {
  metadata: ReturnMetadataRow | null; // null when the force is unknown
  table_a: OffencesByFlagRow[];
  table_b: ChildSexualOffencesRow[];
  quality: QualityRow;
  removals: RemovalsRow[];
  rule_warnings: RuleWarningsRow[];
}

export async function queryReturnTables(
  db: Queryable,
  p: ForceYear,
  source: FiguresSource = 'records',
): Promise<ReturnTablesRow> {
  const rows = await db.query<ReturnTablesRow>(RETURN_TABLES_SQL[source], [p.forceId, p.year]);
  return rows[0];
}
