import { Inject, Injectable } from '@nestjs/common';
import { QueryFailedError, type EntityManager } from 'typeorm';
import { AccessLogService, type AccessAction } from '#libs/access-log';
import { canAccessForce, type RequestContext } from '#libs/auth';
import { DomainError, ScopedDb } from '#libs/persistence';
import { RULE_CONTEXT, type RuleContext } from '#libs/recording-rules';

// Rape reports held as N100 (issue 20 §5; domain.md R21): a reported incident of rape or attempted rape that
// was not immediately recorded as a confirmed rape crime. Not a crime record (returns count crimes); kept per
// force in reported_incidents with the reason it was not crimed, and linked to the crime when one is recorded.
export interface ReportedIncidentView {
  id: string;
  forceId: string;
  incidentReference: string;
  classification: 'N100';
  reportedAt: Date;
  reason: string;
  // Whole days from the report to the list's as-at time (UK-independent: 24-hour periods).
  ageDays: number;
  crimeId: string | null;
  crimedAt: Date | null;
  crimedBy: string | null;
  version: number;
  createdAt: Date;
  createdBy: string;
}

export interface RecordN100Input {
  forceId: string;
  incidentReference: string;
  reportedAt: Date;
  reason: string;
}

export interface ReportedIncidentQuery {
  forceId?: string;
  // 'outstanding' (default): not yet recorded as a crime; 'all' includes the crimed ones (with their link).
  state?: 'outstanding' | 'all';
  asAt: Date;
}

interface Row {
  force_id: string;
  id: string;
  incident_reference: string;
  classification: 'N100';
  reported_at: Date;
  reason: string;
  age_days: number;
  crime_id: string | null;
  crimed_at: Date | null;
  crimed_by: string | null;
  version: number;
  created_at: Date;
  created_by: string;
}

const COLUMNS = `force_id, id, incident_reference, classification, reported_at, reason,
  floor(extract(epoch FROM ($2::timestamptz - reported_at)) / 86400)::int AS age_days,
  crime_id, crimed_at, crimed_by, version, created_at, created_by`;

// Oldest first: the longest-held N100 is the one the registrar looks at first. No cap: a force holds few.
const LIST_SQL = `
SELECT ${COLUMNS}
FROM reported_incidents
WHERE force_id = ANY (COALESCE($1::text[], ARRAY(SELECT f.id FROM forces f)))
  AND ($3::boolean OR crime_id IS NULL)
ORDER BY reported_at, force_id, id`;

@Injectable()
export class ReportedIncidentService {
  constructor(
    private readonly db: ScopedDb,
    private readonly log: AccessLogService,
    @Inject(RULE_CONTEXT) private readonly rules: RuleContext,
  ) {}

  record(ctx: RequestContext, input: RecordN100Input): Promise<ReportedIncidentView> {
    this.assertForce(ctx, input.forceId);
    if (input.reportedAt.getTime() > Date.now())
      throw new DomainError('INVALID_INPUT', 'reportedAt is in the future');
    return this.db
      .run(ctx.actor.forces, async (em) => {
        const rows: { id: string }[] = await em.query(
          `INSERT INTO reported_incidents (force_id, incident_reference, classification, reported_at, reason, created_by)
           VALUES ($1, $2, 'N100', $3, $4, $5) RETURNING id`,
          [
            input.forceId,
            input.incidentReference,
            input.reportedAt,
            input.reason,
            ctx.actor.userId,
          ],
        );
        const view = await this.one(em, input.forceId, rows[0].id, new Date());
        await this.log.record(em, this.entry(ctx, 'collection', view));
        return view;
      })
      .catch((e: unknown) => {
        if (constraintOf(e) === 'uq_reported_incidents_reference')
          throw new DomainError(
            'DUPLICATE_REFERENCE',
            `incident reference ${input.incidentReference} already exists in ${input.forceId}`,
          );
        throw e;
      });
  }

  list(ctx: RequestContext, q: ReportedIncidentQuery): Promise<ReportedIncidentView[]> {
    if (q.forceId !== undefined) this.assertForce(ctx, q.forceId);
    const forces = q.forceId ? [q.forceId] : ctx.actor.forces === 'all' ? null : ctx.actor.forces;
    return this.db.run(ctx.actor.forces, async (em) => {
      const rows: Row[] = await em.query(LIST_SQL, [forces, q.asAt, q.state === 'all']);
      const items = rows.map(toView);
      await this.log.record(em, {
        userId: ctx.actor.userId,
        action: 'consultation',
        forceIds: forces ?? [...new Set(items.map((i) => i.forceId))],
        route: ctx.route,
        purpose: ctx.purpose,
        query: { forceId: q.forceId ?? null, state: q.state ?? 'outstanding', kind: 'N100' },
        recordIds: items.map((i) => i.id),
        recordCount: items.length,
        requestId: ctx.requestId,
      });
      return items;
    });
  }

  // R21: the N100 converted to a crime keeps the link. The crime must be a rape code of the same force.
  linkCrime(
    ctx: RequestContext,
    id: string,
    input: { version: number; crimeId: string },
  ): Promise<ReportedIncidentView> {
    return this.db
      .run(ctx.actor.forces, async (em) => {
        const scope = ctx.actor.forces === 'all' ? null : ctx.actor.forces;
        const found: { force_id: string; version: number; crime_id: string | null }[] =
          await em.query(
            `SELECT force_id, version, crime_id FROM reported_incidents
           WHERE id = $1 AND force_id = ANY (COALESCE($2::text[], ARRAY(SELECT f.id FROM forces f)))
           FOR UPDATE`,
            [id, scope],
          );
        const n100 = found[0];
        if (!n100) throw new DomainError('NOT_FOUND', `reported incident ${id} not found`);
        if (n100.crime_id !== null)
          throw new DomainError(
            'INVALID_TRANSITION',
            `reported incident ${id} is already recorded as crime ${n100.crime_id}`,
          );
        if (n100.version !== input.version)
          throw new DomainError(
            'VERSION_CONFLICT',
            `reported incident ${id} is at version ${n100.version}, not ${input.version}: reload and retry`,
            { currentVersion: n100.version },
          );
        const crimes: { offence_code: string; status: string }[] = await em.query(
          `SELECT offence_code, status FROM crimes WHERE force_id = $1 AND id = $2`,
          [n100.force_id, input.crimeId],
        );
        const crime = crimes[0];
        if (!crime)
          throw new DomainError(
            'NOT_FOUND',
            `crime ${input.crimeId} not found in ${n100.force_id}`,
          );
        if (!this.rules.offence(crime.offence_code)?.rape)
          throw new DomainError(
            'INVALID_INPUT',
            `crime ${input.crimeId} is ${crime.offence_code}, not a rape code: an N100 is recorded as a rape`,
          );
        if (crime.status === 'cancelled' || crime.status === 'transferred')
          throw new DomainError(
            'INVALID_INPUT',
            `crime ${input.crimeId} is ${crime.status}: link a recorded crime`,
          );
        await em.query(
          `UPDATE reported_incidents SET crime_id = $3, crimed_at = now(), crimed_by = $4, version = version + 1
           WHERE force_id = $1 AND id = $2`,
          [n100.force_id, id, input.crimeId, ctx.actor.userId],
        );
        const view = await this.one(em, n100.force_id, id, new Date());
        await this.log.record(em, {
          ...this.entry(ctx, 'alteration', view),
          recordIds: [id, input.crimeId],
          recordCount: 2,
        });
        return view;
      })
      .catch((e: unknown) => {
        if (constraintOf(e) === 'uq_reported_incidents_crime')
          throw new DomainError(
            'DUPLICATE_REFERENCE',
            `crime ${input.crimeId} is already the recording of another N100`,
          );
        throw e;
      });
  }

  private async one(
    em: EntityManager,
    forceId: string,
    id: string,
    asAt: Date,
  ): Promise<ReportedIncidentView> {
    const rows: Row[] = await em.query(
      `SELECT ${COLUMNS} FROM reported_incidents WHERE force_id = $1 AND id = $3`,
      [forceId, asAt, id],
    );
    return toView(rows[0]);
  }

  private assertForce(ctx: RequestContext, forceId: string): void {
    if (!canAccessForce(ctx.actor, forceId))
      throw new DomainError('FORBIDDEN_SCOPE', `not allowed to act for force ${forceId}`);
  }

  private entry(ctx: RequestContext, action: AccessAction, v: ReportedIncidentView) {
    return {
      userId: ctx.actor.userId,
      action,
      forceIds: [v.forceId],
      route: ctx.route,
      purpose: ctx.purpose,
      recordIds: [v.id],
      recordCount: 1,
      requestId: ctx.requestId,
    };
  }
}

function toView(r: Row): ReportedIncidentView {
  return {
    id: r.id,
    forceId: r.force_id,
    incidentReference: r.incident_reference,
    classification: r.classification,
    reportedAt: r.reported_at,
    reason: r.reason,
    ageDays: r.age_days,
    crimeId: r.crime_id,
    crimedAt: r.crimed_at,
    crimedBy: r.crimed_by,
    version: r.version,
    createdAt: r.created_at,
    createdBy: r.created_by,
  };
}

function constraintOf(e: unknown): string | undefined {
  return e instanceof QueryFailedError
    ? (e.driverError as { constraint?: string }).constraint
    : undefined;
}
