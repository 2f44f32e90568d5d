import type { Queryable } from '#libs/persistence';
import type { ForceReturnTables } from '#libs/returns';

// Each force's return for a year: its lifecycle state and current revision, with the snapshot's tables
// when that revision is accepted (or locked by a publication). Only those feed the accepted basis.
export const returnHeadsSql = `
-- Return heads of a year.
--   $1  financial year (start year)
-- A force with no row has not started a return; 'draft' has not been submitted.
SELECT fr.force_id,
       fr.state,
       fr.current_revision                                              AS revision,
       rr.sha256,
       CASE WHEN fr.state IN ('accepted', 'locked') THEN rr.tables END  AS tables
FROM force_returns fr
LEFT JOIN return_revisions rr
       ON rr.force_id = fr.force_id
      AND rr.financial_year = fr.financial_year
      AND rr.revision = fr.current_revision
WHERE fr.financial_year = $1
ORDER BY fr.force_id COLLATE "C"
`;

// The same rows, locked against concurrent lifecycle transitions until the transaction ends: a
// publication must lock exactly the revisions it read (FOR UPDATE on the heads only).
export const returnHeadsForUpdateSql = `${returnHeadsSql.trimEnd()}
FOR UPDATE OF fr
`;

export interface ReturnHeadRow {
  force_id: string;
  state: 'draft' | 'submitted' | 'returned' | 'accepted' | 'locked' | 'revised';
  revision: number;
  sha256: string | null;
  tables: ForceReturnTables | null;
}

export function queryReturnHeads(
  db: Queryable,
  year: number,
  forUpdate = false,
): Promise<ReturnHeadRow[]> {
  return db.query<ReturnHeadRow>(forUpdate ? returnHeadsForUpdateSql : returnHeadsSql, [year]);
}
