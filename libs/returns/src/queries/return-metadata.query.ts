import type { Queryable } from '#libs/persistence';
import type { ForceYear } from '../force-year.js';
import { overForceYear } from './force-year-aggregate.query.js';

// Return metadata: the force and its region, and the high-water mark of the records the return
// was computed from, so a snapshot can say what it saw (domain.md §15 "header / metadata").
export const returnMetadataCte = `
-- Return metadata: force, region and the force-year's high-water mark, from fy.
--   $1  force id
-- No row when the force is unknown. The high-water mark covers EVERY record of the force-year,
-- whatever its status (drafts, cancelled and transferred too):
--   record_count    how many records;
--   version_sum     sum of crimes.version: every save adds 1, so any edit of a record that
--                   stays in the year moves it, even one that leaves max(updated_at) alone;
--   max_updated_at  the latest save, to the microsecond (a JS Date keeps only milliseconds).
return_metadata AS (
  SELECT f.id                              AS force_id,
         f.name                            AS force_name,
         r.id                              AS region_id,
         r.name                            AS region_name,
         s.record_count,
         s.version_sum,
         to_char(s.max_updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS max_updated_at
  FROM forces f
  JOIN regions r ON r.id = f.region_id
  CROSS JOIN (
    SELECT COALESCE(sum(fy.records), 0)::int        AS record_count,
           COALESCE(sum(fy.version_sum), 0)::float8 AS version_sum,  -- float8: exact far beyond any force
           max(fy.max_updated_at)                   AS max_updated_at
    FROM fy
  ) s
  WHERE f.id = $1
)`;

//   $1  force id
//   $2  financial year (start year)
export const returnMetadataSql = overForceYear(returnMetadataCte, `SELECT * FROM return_metadata`);

export interface ReturnMetadataRow {
  force_id: string;
  force_name: string;
  region_id: string;
  region_name: string;
  record_count: number;
  version_sum: number;
  max_updated_at: string | null; // ISO 8601 UTC with microseconds; null when there are no records
}

export function queryReturnMetadata(db: Queryable, p: ForceYear): Promise<ReturnMetadataRow[]> {
  return db.query<ReturnMetadataRow>(returnMetadataSql, [p.forceId, p.year]);
}
