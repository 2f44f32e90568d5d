import { Inject, Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AccessLogService } from '#libs/access-log';
import type { RequestContext } from '#libs/auth';
import { DomainError, ScopedDb } from '#libs/persistence';
import { countingRulesEditionFor, RULE_CONTEXT, type RuleContext } from '#libs/recording-rules';
import { canonicalJson, sha256Hex } from '../canonical-json.js';
import { computeReturn } from '../compute-return.js';
import type { FiguresSource } from '../queries/force-year-aggregate.query.js';
import { evaluateReturn, type ReturnFinding } from '../return-rules.js';
import type { ForceReturnTables } from '../return-tables.js';
import { queryChangedSince } from './changed-since.query.js';
import * as sql from './lifecycle.query.js';
import type {
  ChangedSinceSubmission,
  ReturnAction,
  ReturnState,
  ReturnView,
  TransitionResult,
  ValidationView,
} from './lifecycle.types.js';
import {
  accessEntry,
  assertReturnAccess,
  RETURNS_CLOCK,
  sameData,
  seesRecords,
  toEvent,
  toSummary,
  yearLabel,
  type Clock,
} from './return-access.js';
import { returnStatus } from './return-actions.js';
import { inSnapshot } from './snapshot-transaction.js';
import { assertTransition, submissionAction } from './state-machine.js';

const MAX_LISTED = 1000;

// The force annual return's lifecycle (issue 5): live draft, validation, submission as an immutable
// revision, acceptance or return by the statistics team. Each transition is one REPEATABLE READ
// transaction that also writes a return_events row (who, when, why).
// Not a return rule over the data but an integrity check of the maintained aggregate (issue #22): a
// submission whose records and aggregate disagree is refused with this code.
export const FIGURES_MISMATCH_RULE = 'CF-RET-900';

@Injectable()
export class ReturnLifecycleService {
  private readonly logger = new Logger('ReturnLifecycle');
  constructor(
    private readonly db: ScopedDb,
    private readonly log: AccessLogService,
    @Inject(RULE_CONTEXT) private readonly rules: RuleContext,
    @Inject(RETURNS_CLOCK) private readonly clock: Clock,
  ) {}

  view(ctx: RequestContext, forceId: string, year: number): Promise<ReturnView> {
    assertReturnAccess(ctx.actor, forceId, year);
    return inSnapshot(this.db, ctx.actor.forces, async (em) => {
      const draft = await this.compute(em, forceId, year);
      return this.viewOf(em, ctx, forceId, year, draft);
    });
  }

  validation(ctx: RequestContext, forceId: string, year: number): Promise<ValidationView> {
    assertReturnAccess(ctx.actor, forceId, year);
    return inSnapshot(this.db, ctx.actor.forces, async (em) => {
      const tables = await this.compute(em, forceId, year);
      return (await this.validationOf(em, ctx, forceId, year, tables)).view;
    });
  }

  // The return page's two reads (the view and the return rules' results) from one computation of the live
  // tables in one snapshot: the same answers and access-log entries as view() and validation().
  viewWithValidation(
    ctx: RequestContext,
    forceId: string,
    year: number,
  ): Promise<{ view: ReturnView; validation: ValidationView }> {
    assertReturnAccess(ctx.actor, forceId, year);
    return inSnapshot(this.db, ctx.actor.forces, async (em) => {
      const draft = await this.compute(em, forceId, year);
      const { view: validation, all } = await this.validationOf(em, ctx, forceId, year, draft);
      const view = await this.viewOf(em, ctx, forceId, year, draft, all);
      return { view, validation };
    });
  }

  private async viewOf(
    em: EntityManager,
    ctx: RequestContext,
    forceId: string,
    year: number,
    draft: ForceReturnTables,
    findings?: readonly ReturnFinding[],
  ): Promise<ReturnView> {
    const latest = await sql.selectRevision(em, forceId, year, null);
    const changed = latest ? await this.changedSince(em, ctx, forceId, year, latest, draft) : null;
    const status = await returnStatus(em, ctx.actor, this.rules, {
      forceId,
      year,
      now: this.clock(),
      live: draft,
      findings,
    });
    await this.log.record(
      em,
      accessEntry(
        ctx,
        'consultation',
        forceId,
        { return: forceId, year: yearLabel(year), part: 'draft' },
        changed?.records?.map((r) => r.crimeId),
      ),
    );
    return {
      forceId,
      year: yearLabel(year),
      ...status,
      latestRevision: latest ? toSummary(latest) : null,
      dataChangedSinceRevision: latest
        ? !sameData(draft, latest.tables as ForceReturnTables)
        : null,
      changedSinceSubmission: changed,
      events: (await sql.selectEvents(em, forceId, year)).map(toEvent),
      draft,
    };
  }

  private async validationOf(
    em: EntityManager,
    ctx: RequestContext,
    forceId: string,
    year: number,
    tables: ForceReturnTables,
  ): Promise<{ view: ValidationView; all: ReturnFinding[] }> {
    const withRecords = seesRecords(ctx.actor);
    const all = await this.evaluate(em, forceId, year, tables);
    const findings = withRecords ? all : all.map((f) => ({ ...f, records: [] }));
    const ids = findings.flatMap((f) => f.records.map((r) => r.crimeId));
    await this.log.record(
      em,
      accessEntry(
        ctx,
        'consultation',
        forceId,
        { return: forceId, year: yearLabel(year), part: 'validation' },
        ids,
      ),
    );
    const status = await returnStatus(em, ctx.actor, this.rules, {
      forceId,
      year,
      now: this.clock(),
      live: tables,
      findings: all,
    });
    const view = {
      forceId,
      year: yearLabel(year),
      status,
      ok: all.length === 0,
      recordsWithheld: !withRecords,
      findings,
    };
    return { view, all };
  }

  // Submission and resubmission: validate, then freeze the tables as revision n+1 with their hash.
  async submit(
    ctx: RequestContext,
    forceId: string,
    year: number,
    input: { version: number; signedOffName?: string; reason?: string },
  ): Promise<TransitionResult> {
    assertReturnAccess(ctx.actor, forceId, year);
    // ck_force_returns_year's upper end (the lower one, 2002, is below the flag's first year).
    if (year > 2100)
      throw new DomainError('INVALID_INPUT', 'returns are kept for the years up to 2100-01');
    const outcome = await inSnapshot(this.db, ctx.actor.forces, async (em) => {
      const head = await this.lockHead(em, forceId, year, input.version);
      const from = head?.state ?? 'draft';
      const action = submissionAction(from);
      const now = this.clock();
      const tables = await this.fromRecordsCheckedAgainstFigures(em, forceId, year, now);
      const latest = head ? await sql.selectRevision(em, forceId, year, null) : null;
      const dataChanged = !latest || !sameData(tables, latest.tables as ForceReturnTables);
      const to = assertTransition(ctx.actor, { forceId, state: from, dataChanged }, action);
      // Correction after publication: the published figures change, so the reason is on the record.
      if (action === 'revise' && !input.reason?.trim()) {
        throw new DomainError(
          'INVALID_INPUT',
          'a revision of a published (locked) return needs the reason for the correction',
        );
      }
      const findings = await this.evaluate(em, forceId, year, tables);
      const ids = findings.flatMap((f) => f.records.map((r) => r.crimeId));
      await this.log.record(
        em,
        accessEntry(
          ctx,
          'consultation',
          forceId,
          { return: forceId, year: yearLabel(year), part: action },
          ids,
        ),
      );
      // Refused: commit the access-log entry (the caller sees the records), change nothing else.
      if (findings.length > 0) return { refused: findings, done: null } as const;
      const revision = (head?.current_revision ?? 0) + 1;
      const signedOffName = input.signedOffName?.trim() || ctx.actor.displayName;
      const snapshot = () =>
        sql.insertRevision(em, {
          forceId,
          year,
          revision,
          tables,
          sha256: sha256Hex(canonicalJson(tables)),
          highWater: tables.metadata.source,
          submittedAt: now,
          submittedBy: ctx.actor.userId,
          signedOffName,
        });
      const m = {
        forceId,
        year,
        from,
        to,
        action,
        revision,
        reason: input.reason?.trim() || null,
        now,
        headVersion: head?.version ?? 0,
      };
      return { refused: null, done: await this.move(em, ctx, m, snapshot) } as const;
    });
    if (outcome.refused) {
      const codes = outcome.refused.map((f) => f.code);
      const why = outcome.refused.map((f) => `${f.code}: ${f.message}`).join('; ');
      throw new DomainError('RULE_VIOLATION', `return rules refused the submission: ${why}`, {
        ruleCodes: codes,
        findings: outcome.refused,
      });
    }
    return outcome.done;
  }

  accept(
    ctx: RequestContext,
    forceId: string,
    year: number,
    input: { version: number; reason?: string },
  ): Promise<TransitionResult> {
    return this.review(ctx, forceId, year, 'accept', input.version, input.reason?.trim() || null);
  }

  returnToForce(
    ctx: RequestContext,
    forceId: string,
    year: number,
    input: { version: number; reason: string },
  ): Promise<TransitionResult> {
    if (!input.reason?.trim())
      throw new DomainError('INVALID_INPUT', 'a returned return needs the reasons');
    return this.review(ctx, forceId, year, 'return', input.version, input.reason.trim());
  }

  private review(
    ctx: RequestContext,
    forceId: string,
    year: number,
    action: 'accept' | 'return',
    version: number,
    reason: string | null,
  ): Promise<TransitionResult> {
    assertReturnAccess(ctx.actor, forceId, year);
    return inSnapshot(this.db, ctx.actor.forces, async (em) => {
      const head = await this.lockHead(em, forceId, year, version);
      const from = head?.state ?? 'draft';
      const to = assertTransition(ctx.actor, { forceId, state: from, dataChanged: false }, action);
      const revision = head?.current_revision ?? 0;
      return this.move(em, ctx, {
        forceId,
        year,
        from,
        to,
        action,
        revision,
        reason,
        now: this.clock(),
        headVersion: version,
      });
    });
  }

  private async lockHead(
    em: EntityManager,
    forceId: string,
    year: number,
    version: number,
  ): Promise<sql.HeadRow | null> {
    const head = await sql.selectHead(em, forceId, year, true);
    const current = head?.version ?? 0;
    if (current !== version) {
      throw new DomainError(
        'VERSION_CONFLICT',
        `the return is at version ${current}, not ${version}: reload and retry`,
        { currentVersion: current },
      );
    }
    return head;
  }

  // Head and event together: the state changes exactly when its event is written.
  private async move(
    em: EntityManager,
    ctx: RequestContext,
    m: {
      forceId: string;
      year: number;
      from: ReturnState;
      to: ReturnState;
      action: ReturnAction;
      revision: number;
      reason: string | null;
      now: Date;
      headVersion: number;
    },
    // Runs between the head and the event: the revision row's foreign key needs the head first.
    snapshot?: () => Promise<void>,
  ): Promise<TransitionResult> {
    const h = {
      forceId: m.forceId,
      year: m.year,
      state: m.to,
      revision: m.revision,
      at: m.now,
      by: ctx.actor.userId,
    };
    const written =
      m.headVersion === 0
        ? await sql.insertHead(em, h)
        : await sql.updateHead(em, { ...h, expectedVersion: m.headVersion });
    if (!written)
      throw new DomainError(
        'VERSION_CONFLICT',
        'the return changed while this request ran: reload and retry',
      );
    await snapshot?.();
    const event = {
      forceId: m.forceId,
      year: m.year,
      revision: m.revision,
      action: m.action,
      from: m.from,
      to: m.to,
      reason: m.reason,
      at: m.now,
      by: ctx.actor.userId,
    };
    await sql.insertEvent(em, event);
    const latest = await sql.selectRevision(em, m.forceId, m.year, null);
    return {
      forceId: m.forceId,
      year: yearLabel(m.year),
      state: m.to,
      version: m.headVersion + 1,
      currentRevision: m.revision,
      latestRevision: latest ? toSummary(latest) : null,
      event: {
        revision: m.revision,
        action: m.action,
        fromState: m.from,
        toState: m.to,
        reason: m.reason,
        at: m.now.toISOString(),
        by: ctx.actor.userId,
      },
    };
  }

  // Live views read the maintained aggregate (source 'figures'); a submission reads the records.
  private compute(
    em: EntityManager,
    forceId: string,
    year: number,
    at: Date = this.clock(),
    source: FiguresSource = 'figures',
  ): Promise<ForceReturnTables> {
    return computeReturn(em, {
      forceId,
      year,
      countingRulesVersion: countingRulesEditionFor(year, this.rules.config),
      generatedAt: at,
      source,
    });
  }

  // A signed return is computed from the records. The aggregate that every live view shows must agree with
  // it: if it does not, the submission stops (the figures people checked before signing were not these), the
  // difference is logged, and `cyberflag figures verify` / `figures rebuild` find and repair it.
  private async fromRecordsCheckedAgainstFigures(
    em: EntityManager,
    forceId: string,
    year: number,
    at: Date,
  ): Promise<ForceReturnTables> {
    const records = await this.compute(em, forceId, year, at, 'records');
    const figures = await this.compute(em, forceId, year, at, 'figures');
    if (!sameData(records, figures)) {
      this.logger.error(
        `maintained figures differ from the records for ${forceId} ${yearLabel(year)}: submission refused (run cyberflag figures verify)`,
      );
      throw new DomainError(
        'RULE_VIOLATION',
        `${FIGURES_MISMATCH_RULE}: the maintained figures for ${forceId} ${yearLabel(year)} differ from its records; the return cannot be signed until they agree (an operator runs cyberflag figures verify, then figures rebuild)`,
        { ruleCodes: [FIGURES_MISMATCH_RULE] },
      );
    }
    return records;
  }

  private evaluate(
    em: EntityManager,
    forceId: string,
    year: number,
    tables: ForceReturnTables,
  ): Promise<ReturnFinding[]> {
    return evaluateReturn(em, {
      forceId,
      year,
      ruleContext: this.rules,
      tables,
      maxRecords: MAX_LISTED,
    });
  }

  private async changedSince(
    em: EntityManager,
    ctx: RequestContext,
    forceId: string,
    year: number,
    latest: sql.RevisionRow,
    live: ForceReturnTables,
  ): Promise<ChangedSinceSubmission> {
    const submittedAt = new Date(latest.submitted_at);
    const rows = await queryChangedSince(em, {
      forceId,
      year,
      since: submittedAt,
      limit: MAX_LISTED,
    });
    const count = rows[0]?.total_count ?? 0;
    const list = seesRecords(ctx.actor);
    return {
      revision: latest.revision,
      submittedAt: submittedAt.toISOString(),
      recordCount: count,
      records: list
        ? rows.map((r) => ({
            crimeId: r.crime_id,
            crimeReference: r.crime_reference,
            changes: r.changes,
            lastChangedAt: r.last_changed_at,
          }))
        : null,
      truncated: list && count > rows.length,
      highWaterMoved: canonicalJson(live.metadata.source) !== canonicalJson(latest.high_water),
      message: `${count} ${count === 1 ? 'record' : 'records'} changed since revision ${latest.revision} was submitted`,
    };
  }
}
