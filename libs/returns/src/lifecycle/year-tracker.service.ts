import { Injectable } from '@nestjs/common';
import { AccessLogService } from '#libs/access-log';
import { canAccessForce, type RequestContext } from '#libs/auth';
import { Catalogue } from '#libs/catalogue';
import { ScopedDb } from '#libs/persistence';
import { assertFlagYear, financialYearPeriod, londonDate } from '#libs/recording-rules';
import {
  RETURN_STATES,
  type TrackerState,
  type YearTracker,
  type YearTrackerForce,
} from './lifecycle.types.js';
import { yearLabel } from './return-access.js';
import { inSnapshot } from './snapshot-transaction.js';
import { queryYearTracker, type YearTrackerRow } from './year-tracker.query.js';

// The year tracker: every force the year expects (catalogue validity), in the caller's scope, with
// where its return stands. Statisticians and national auditors see every force; registrars, FCRs
// and force auditors their own forces (README "Security": returns are read by the force's registrars
// and auditors and by statisticians). One statement for all forces.
@Injectable()
export class YearTrackerService {
  constructor(
    private readonly db: ScopedDb,
    private readonly log: AccessLogService,
    private readonly catalogue: Catalogue,
  ) {}

  year(ctx: RequestContext, year: number): Promise<YearTracker> {
    assertFlagYear(year);
    const period = financialYearPeriod(year);
    const expected = this.catalogue
      .forcesValidDuring(londonDate(period.start), londonDate(new Date(period.end.getTime() - 1)))
      .filter((f) => canAccessForce(ctx.actor, f.id));
    return inSnapshot(this.db, ctx.actor.forces, async (em) => {
      const rows = await queryYearTracker(em, { year, forceIds: expected.map((f) => f.id) });
      const forces = rows.map((r) => this.toForce(r));
      const changed = forces.reduce((n, f) => n + (f.changedSinceSubmission ?? 0), 0);
      // The counts come from record-level history (as a return's "changed since submission" does):
      // one consultation entry for the forces shown; no record is listed.
      await this.log.record(em, {
        userId: ctx.actor.userId,
        action: 'consultation',
        forceIds: forces.map((f) => f.forceId),
        route: ctx.route,
        purpose: ctx.purpose,
        query: { year: yearLabel(year), part: 'tracker' },
        recordIds: [],
        recordCount: changed,
        requestId: ctx.requestId,
      });
      const byState = Object.fromEntries(
        ['not started', ...RETURN_STATES].map((s) => [s, 0]),
      ) as Record<TrackerState, number>;
      for (const f of forces) byState[f.state]++;
      return { year: yearLabel(year), forcesShown: forces.length, byState, forces };
    });
  }

  private toForce(r: YearTrackerRow): YearTrackerForce {
    const force = this.catalogue.force(r.force_id);
    const region = force ? this.catalogue.region(force.regionId) : undefined;
    return {
      forceId: r.force_id,
      forceName: force?.name ?? r.force_id,
      regionId: force?.regionId ?? 'unknown',
      regionName: region?.name ?? 'unknown',
      state: r.state ?? 'not started',
      version: r.version ?? 0,
      currentRevision: r.current_revision ?? 0,
      // Milliseconds, as every other time of the returns API (toSummary, toEvent).
      latestSubmittedAt: r.submitted_at === null ? null : new Date(r.submitted_at).toISOString(),
      acceptedAt: r.accepted_at === null ? null : new Date(r.accepted_at).toISOString(),
      lastEvent:
        r.event_action === null
          ? null
          : {
              revision: r.event_revision!,
              action: r.event_action,
              fromState: r.from_state!,
              toState: r.to_state!,
              reason: r.reason,
              at: new Date(r.event_at!).toISOString(),
              by: r.by_user!,
            },
      changedSinceSubmission: r.changed_records,
    };
  }
}
