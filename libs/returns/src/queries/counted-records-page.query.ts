import type { HateStrand, OnlineFlag, VictimSex } from '#libs/recording-rules';
import type { Queryable } from '#libs/persistence';
import type { ForceYear } from '../force-year.js';

// Return rule CF-RET-001 reads the counted records in pages, to re-run the record rules on them.
export const countedRecordsPageSql = `
-- Counted records of the force-year with the facts the record rules look at, one page at a time.
--   $1  force id
--   $2  financial year (start year)
--   $3  the last crime_reference of the previous page ('' for the first page)
--   $4  page size
-- Keyset paging on crime_reference, unique per force (uq_crimes_reference), so pages never
-- overlap or skip, and findings come out in reference order.
SELECT c.id AS crime_id, c.crime_reference, c.force_id, c.offence_code, c.status,
       c.reported_at, c.recorded_at, c.offence_from, c.offence_to,
       c.online_flag, c.online_method, c.online_platform,
       c.victim_age, c.victim_sex, c.suspect_age,
       c.domestic_abuse, c.hate_strands, c.child_sexual_exploitation, c.child_sexual_abuse,
       c.acknowledged_rules
FROM crimes c
WHERE c.force_id = $1
  AND c.financial_year = $2
  AND c.status = 'confirmed'
  AND c.crime_reference > $3
ORDER BY c.crime_reference
LIMIT $4
`;

// pg returns timestamptz as Date and text[] as string[].
export interface CountedRecordRow {
  crime_id: string;
  crime_reference: string;
  force_id: string;
  offence_code: string;
  status: 'confirmed';
  reported_at: Date;
  recorded_at: Date;
  offence_from: Date;
  offence_to: Date | null;
  online_flag: OnlineFlag;
  online_method: string | null;
  online_platform: string | null;
  victim_age: number | null;
  victim_sex: VictimSex;
  suspect_age: number | null;
  domestic_abuse: boolean;
  hate_strands: HateStrand[];
  child_sexual_exploitation: boolean;
  child_sexual_abuse: boolean;
  acknowledged_rules: string[];
}

export function queryCountedRecordsPage(
  db: Queryable,
  p: ForceYear & { after: string; pageSize: number },
): Promise<CountedRecordRow[]> {
  return db.query<CountedRecordRow>(countedRecordsPageSql, [
    p.forceId,
    p.year,
    p.after,
    p.pageSize,
  ]);
}
