import type { Queryable } from '#libs/persistence';

export const VERDICTS = ['correct', 'incorrect', 'cannot_tell'] as const;
export type Verdict = (typeof VERDICTS)[number];

export const auditPopulationSql = `
-- The population of an audit: confirmed records of one force recorded in [start, end) in the given
-- offence groups; stratum = offence group. Drafts are not recorded crime and cancelled/transferred
-- records no longer are, so neither can be audited for accuracy.
--   $1 force id  $2 period start (inclusive)  $3 period end (exclusive)  $4 offence groups (text[])
SELECT c.id, o.group_name AS stratum
FROM crimes c
JOIN offences o ON o.code = c.offence_code
WHERE c.force_id = $1
  AND c.recorded_at >= $2 AND c.recorded_at < $3
  AND c.status = 'confirmed'
  AND o.group_name = ANY ($4::text[])
`;

export function queryAuditPopulation(
  db: Queryable,
  p: { forceId: string; start: Date; end: Date; groups: string[] },
): Promise<{ id: string; stratum: string }[]> {
  return db.query(auditPopulationSql, [p.forceId, p.start, p.end, p.groups]);
}

export async function unknownGroups(db: Queryable, groups: readonly string[]): Promise<string[]> {
  const rows = await db.query<{ g: string }>(
    `SELECT g FROM unnest($1::text[]) AS g WHERE NOT EXISTS (SELECT 1 FROM offences o WHERE o.group_name = g)`,
    [groups],
  );
  return rows.map((r) => r.g);
}

export interface NewAudit {
  forceId: string;
  periodLabel: string;
  start: Date;
  end: Date;
  groups: string[];
  requestedSampleSize: number | null;
  targetMargin: number | null;
  populationSize: number;
  sampleSize: number;
  seed: string;
  finitePopulationCorrection: boolean;
  by: string;
}

export async function insertAudit(db: Queryable, a: NewAudit): Promise<string> {
  const rows = await db.query<{ id: string }>(
    `INSERT INTO audits (force_id, period_label, period_start, period_end, offence_groups, requested_sample_size, target_margin,
       population_size, sample_size, seed, finite_population_correction, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
    [
      a.forceId,
      a.periodLabel,
      a.start,
      a.end,
      a.groups,
      a.requestedSampleSize,
      a.targetMargin,
      a.populationSize,
      a.sampleSize,
      a.seed,
      a.finitePopulationCorrection,
      a.by,
    ],
  );
  return rows[0].id;
}

export async function insertStrataAndSample(
  db: Queryable,
  forceId: string,
  auditId: string,
  strata: { stratum: string; populationSize: number; sampleSize: number }[],
  sample: { crimeId: string; stratum: string; drawOrder: number }[],
): Promise<void> {
  await db.query(
    `INSERT INTO audit_strata (force_id, audit_id, stratum, population_size, sample_size)
     SELECT $1, $2, s, p, n FROM unnest($3::text[], $4::int[], $5::int[]) AS t(s, p, n)`,
    [
      forceId,
      auditId,
      strata.map((s) => s.stratum),
      strata.map((s) => s.populationSize),
      strata.map((s) => s.sampleSize),
    ],
  );
  await db.query(
    `INSERT INTO audit_samples (force_id, audit_id, crime_id, stratum, draw_order)
     SELECT $1, $2, c, s, d FROM unnest($3::uuid[], $4::text[], $5::int[]) AS t(c, s, d)`,
    [
      forceId,
      auditId,
      sample.map((s) => s.crimeId),
      sample.map((s) => s.stratum),
      sample.map((s) => s.drawOrder),
    ],
  );
}

export interface AuditRow {
  force_id: string;
  id: string;
  period_label: string;
  period_start: Date;
  period_end: Date;
  offence_groups: string[];
  requested_sample_size: number | null;
  target_margin: string | null; // numeric
  population_size: number;
  sample_size: number;
  seed: string;
  finite_population_correction: boolean;
  status: 'open' | 'closed';
  created_at: Date;
  created_by: string;
  closed_at: Date | null;
  closed_by: string | null;
}

// In the caller's scope; FOR UPDATE serialises verdicts against closing.
export async function findAudit(
  db: Queryable,
  id: string,
  forceIds: string[] | null,
  forUpdate = false,
): Promise<AuditRow | null> {
  const rows = await db.query<AuditRow>(
    `SELECT * FROM audits a
     WHERE a.id = $1 AND a.force_id = ANY (COALESCE($2::text[], ARRAY(SELECT f.id FROM forces f)))${forUpdate ? ' FOR UPDATE' : ''}`,
    [id, forceIds],
  );
  return rows[0] ?? null;
}

export interface StratumRow {
  stratum: string;
  population_size: number;
  sample_size: number;
}

export function auditStrata(
  db: Queryable,
  forceId: string,
  auditId: string,
): Promise<StratumRow[]> {
  return db.query<StratumRow>(
    `SELECT stratum, population_size, sample_size FROM audit_strata WHERE force_id = $1 AND audit_id = $2 ORDER BY stratum COLLATE "C"`,
    [forceId, auditId],
  );
}

export interface SampleRow {
  crime_id: string;
  stratum: string;
  draw_order: number;
  flag_verdict: Verdict | null;
  classification_verdict: Verdict | null;
  note: string | null;
  verdict_at: Date | null;
  verdict_by: string | null;
  crime_reference: string;
  offence_code: string;
  online_flag: string;
  recorded_at: Date;
}

export function auditSample(db: Queryable, forceId: string, auditId: string): Promise<SampleRow[]> {
  return db.query<SampleRow>(
    `SELECT s.crime_id, s.stratum, s.draw_order, s.flag_verdict, s.classification_verdict, s.note, s.verdict_at, s.verdict_by,
            c.crime_reference, c.offence_code, c.online_flag, c.recorded_at
     FROM audit_samples s
     JOIN crimes c ON c.force_id = s.force_id AND c.id = s.crime_id
     WHERE s.force_id = $1 AND s.audit_id = $2
     ORDER BY s.stratum COLLATE "C", s.draw_order`,
    [forceId, auditId],
  );
}

export async function setVerdict(
  db: Queryable,
  key: { forceId: string; auditId: string; crimeId: string },
  v: { flag: Verdict; classification: Verdict; note: string | null; by: string },
): Promise<boolean> {
  const rows = await db.query<{ crime_id: string }>(
    // In a CTE so that both TypeORM (which returns [rows, count] for a bare UPDATE) and pg return rows.
    `WITH u AS (
       UPDATE audit_samples SET flag_verdict = $4, classification_verdict = $5, note = $6, verdict_by = $7, verdict_at = now()
       WHERE force_id = $1 AND audit_id = $2 AND crime_id = $3 RETURNING crime_id)
     SELECT crime_id FROM u`,
    [key.forceId, key.auditId, key.crimeId, v.flag, v.classification, v.note, v.by],
  );
  return rows.length === 1;
}

export async function closeAudit(
  db: Queryable,
  forceId: string,
  auditId: string,
  by: string,
): Promise<void> {
  await db.query(
    `UPDATE audits SET status = 'closed', closed_at = now(), closed_by = $3 WHERE force_id = $1 AND id = $2`,
    [forceId, auditId, by],
  );
}

export interface AuditSummaryRow extends AuditRow {
  with_verdict: number;
}

// GET /audits: the audits of the forces in scope, newest first, with how many sampled records have a verdict.
export function listAudits(
  db: Queryable,
  p: {
    forceIds: string[] | null;
    status: 'open' | 'closed' | null;
    createdBy: string | null;
    limit: number;
  },
): Promise<AuditSummaryRow[]> {
  return db.query<AuditSummaryRow>(
    `SELECT a.*, (SELECT count(*)::int FROM audit_samples s
                  WHERE s.force_id = a.force_id AND s.audit_id = a.id AND s.flag_verdict IS NOT NULL) AS with_verdict
     FROM audits a
     WHERE ($1::text[] IS NULL OR a.force_id = ANY ($1::text[]))
       AND ($2::text IS NULL OR a.status = $2)
       AND ($3::text IS NULL OR a.created_by = $3)
     ORDER BY a.created_at DESC, a.id DESC
     LIMIT $4`,
    [p.forceIds, p.status, p.createdBy, p.limit],
  );
}
