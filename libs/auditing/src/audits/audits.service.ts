import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { AccessLogService } from '#libs/access-log';
import type { RequestContext } from '#libs/auth';
import { DomainError, ScopedDb } from '#libs/persistence';
import { assertFlagPeriod, parseFlagYear } from '#libs/recording-rules';
import { accessEntry, assertForce, scopeList } from '../audit-context.js';
import {
  toAuditSummaryView,
  toAuditView,
  toSampledRecordView,
  type AuditSummaryView,
  type AuditView,
  type SampledRecordView,
} from './audit.view.js';
import { auditPeriod, planAudit, type SizeBasis } from './audit-design.js';
import {
  auditSample,
  auditStrata,
  closeAudit,
  findAudit,
  insertAudit,
  insertStrataAndSample,
  listAudits,
  queryAuditPopulation,
  setVerdict,
  unknownGroups,
  type AuditRow,
  type Verdict,
} from './audits.query.js';

export interface CreateAuditInput {
  forceId: string;
  year?: string;
  from?: string; // UK calendar dates, inclusive
  to?: string;
  offenceGroups: string[];
  size: SizeBasis;
  seed?: string;
  finitePopulationCorrection?: boolean;
}

// HMICFRS-style sample audits (issue 7 §4). Auditors of the force (or national auditors) create and work
// them; everything runs in the caller's scope and is logged with purpose 'audit'. A closed audit is final:
// the service answers 409 and the database refuses the change anyway (trigger).
@Injectable()
export class AuditsService {
  constructor(
    private readonly db: ScopedDb,
    private readonly log: AccessLogService,
  ) {}

  create(ctx: RequestContext, input: CreateAuditInput): Promise<AuditView> {
    assertForce(ctx.actor, input.forceId);
    const period = auditPeriod({
      year: input.year === undefined ? undefined : parseFlagYear(input.year),
      from: input.from,
      to: input.to,
    });
    assertFlagPeriod(period.start, period.label); // from/to: no sample of records from before the flag existed
    const groups = [...new Set(input.offenceGroups)];
    // A stored seed makes the draw reproducible; without one, a random seed is generated and stored.
    const seed = input.seed ?? randomBytes(16).toString('hex');
    return this.db.run(ctx.actor.forces, async (em) => {
      const unknown = await unknownGroups(em, groups);
      if (unknown.length > 0)
        throw new DomainError('INVALID_INPUT', `unknown offence group(s): ${unknown.join(', ')}`);
      const units = await queryAuditPopulation(em, {
        forceId: input.forceId,
        start: period.start,
        end: period.end,
        groups,
      });
      const plan = planAudit(groups, units, input.size, seed);
      const id = await insertAudit(em, {
        forceId: input.forceId,
        periodLabel: period.label,
        start: period.start,
        end: period.end,
        groups,
        requestedSampleSize: 'sampleSize' in input.size ? input.size.sampleSize : null,
        targetMargin: 'targetMargin' in input.size ? input.size.targetMargin : null,
        populationSize: units.length,
        sampleSize: plan.total,
        seed,
        finitePopulationCorrection: input.finitePopulationCorrection ?? true,
        by: ctx.actor.userId,
      });
      const strata = groups.map((g) => ({
        stratum: g,
        populationSize: plan.populations[g],
        sampleSize: plan.allocation[g],
      }));
      await insertStrataAndSample(em, input.forceId, id, strata, plan.sample);
      return this.loggedView(em, ctx, id);
    });
  }

  // The audits of the caller's forces, without their samples: no record-level data, so nothing to log.
  async list(
    ctx: RequestContext,
    q: { status?: 'open' | 'closed'; mine?: boolean; limit: number },
  ): Promise<AuditSummaryView[]> {
    const rows = await this.db.run(ctx.actor.forces, (em) =>
      listAudits(em, {
        forceIds: scopeList(ctx.actor.forces),
        status: q.status ?? null,
        createdBy: q.mine ? ctx.actor.userId : null,
        limit: q.limit,
      }),
    );
    return rows.map(toAuditSummaryView);
  }

  get(ctx: RequestContext, id: string): Promise<AuditView> {
    return this.db.run(ctx.actor.forces, (em) => this.loggedView(em, ctx, id));
  }

  recordVerdict(
    ctx: RequestContext,
    id: string,
    crimeId: string,
    v: { flag: Verdict; classification: Verdict; note: string | null },
  ): Promise<SampledRecordView> {
    return this.db.run(ctx.actor.forces, async (em) => {
      const audit = await this.openAudit(em, ctx, id);
      const found = await setVerdict(
        em,
        { forceId: audit.force_id, auditId: id, crimeId },
        { ...v, by: ctx.actor.userId },
      );
      if (!found)
        throw new DomainError('NOT_FOUND', `crime ${crimeId} is not in the sample of audit ${id}`);
      const row = (await auditSample(em, audit.force_id, id)).find((s) => s.crime_id === crimeId);
      if (!row) throw new Error(`sampled record ${crimeId} vanished inside its transaction`);
      await this.log.record(
        em,
        accessEntry(ctx, 'consultation', [audit.force_id], {
          recordIds: [crimeId],
          recordCount: 1,
        }),
      );
      return toSampledRecordView(row);
    });
  }

  // Closing needs a verdict on every sampled record ('cannot tell' is a verdict): the results are final.
  close(ctx: RequestContext, id: string): Promise<AuditView> {
    return this.db.run(ctx.actor.forces, async (em) => {
      const audit = await this.openAudit(em, ctx, id);
      const pending = (await auditSample(em, audit.force_id, id)).filter(
        (s) => s.flag_verdict === null,
      ).length;
      if (pending > 0) {
        throw new DomainError(
          'INVALID_TRANSITION',
          `${pending} sampled record(s) have no verdict yet: record one ('cannot_tell' if need be) before closing`,
          { pending },
        );
      }
      await closeAudit(em, audit.force_id, id, ctx.actor.userId);
      return this.loggedView(em, ctx, id);
    });
  }

  private async openAudit(em: EntityManager, ctx: RequestContext, id: string): Promise<AuditRow> {
    const audit = await findAudit(em, id, scopeList(ctx.actor.forces), true);
    if (!audit) throw new DomainError('NOT_FOUND', `audit ${id} not found`);
    if (audit.status === 'closed')
      throw new DomainError('INVALID_TRANSITION', `audit ${id} is closed and cannot change`);
    return audit;
  }

  private async loggedView(em: EntityManager, ctx: RequestContext, id: string): Promise<AuditView> {
    const audit = await findAudit(em, id, scopeList(ctx.actor.forces));
    if (!audit) throw new DomainError('NOT_FOUND', `audit ${id} not found`);
    const [strata, sample] = [
      await auditStrata(em, audit.force_id, id),
      await auditSample(em, audit.force_id, id),
    ];
    // The sample is record-level data: every view names the records shown.
    await this.log.record(
      em,
      accessEntry(ctx, 'consultation', [audit.force_id], {
        recordIds: sample.map((s) => s.crime_id),
        recordCount: sample.length,
      }),
    );
    return toAuditView(audit, strata, sample);
  }
}
