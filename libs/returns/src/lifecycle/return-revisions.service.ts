import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { RequestContext } from '#libs/auth';
import { DomainError, ScopedDb } from '#libs/persistence';
import { RULE_CONTEXT, type RuleContext } from '#libs/recording-rules';
import { canonicalJson, sha256Hex } from '../canonical-json.js';
import type { ForceReturnTables } from '../return-tables.js';
import * as sql from './lifecycle.query.js';
import type {
  RevisionDiff,
  RevisionList,
  RevisionSummary,
  RevisionView,
} from './lifecycle.types.js';
import { returnStatus } from './return-actions.js';
import {
  assertReturnAccess,
  RETURNS_CLOCK,
  toSummary,
  yearLabel,
  type Clock,
} from './return-access.js';
import { inSnapshot } from './snapshot-transaction.js';
import { diffTables } from './table-diff.js';

// Submitted revisions: immutable snapshots (the database refuses UPDATE and DELETE on them).
// They hold aggregates only, so reading them is not logged as access to records.
@Injectable()
export class ReturnRevisionsService {
  constructor(
    private readonly db: ScopedDb,
    @Inject(RULE_CONTEXT) private readonly rules: RuleContext,
    @Inject(RETURNS_CLOCK) private readonly clock: Clock,
  ) {}

  list(ctx: RequestContext, forceId: string, year: number): Promise<RevisionList> {
    assertReturnAccess(ctx.actor, forceId, year);
    return inSnapshot(this.db, ctx.actor.forces, async (em) => ({
      forceId,
      year: yearLabel(year),
      status: await returnStatus(em, ctx.actor, this.rules, { forceId, year, now: this.clock() }),
      revisions: (await sql.selectRevisions(em, forceId, year)).map(toSummary),
    }));
  }

  get(ctx: RequestContext, forceId: string, year: number, revision: number): Promise<RevisionView> {
    assertReturnAccess(ctx.actor, forceId, year);
    return inSnapshot(this.db, ctx.actor.forces, async (em) => {
      const row = await this.find(em, forceId, year, revision);
      const status = await returnStatus(em, ctx.actor, this.rules, {
        forceId,
        year,
        now: this.clock(),
      });
      return {
        ...toSummary(row),
        status,
        tables: row.tables as ForceReturnTables,
        verification: verify(row),
      };
    });
  }

  // GET …/revisions/:a/diff/:b: what changed from b to a ('2/diff/1': old = revision 1, new = revision 2).
  diff(
    ctx: RequestContext,
    forceId: string,
    year: number,
    a: number,
    b: number,
  ): Promise<RevisionDiff> {
    assertReturnAccess(ctx.actor, forceId, year);
    return inSnapshot(this.db, ctx.actor.forces, async (em) => {
      const newer = await this.find(em, forceId, year, a);
      const older = await this.find(em, forceId, year, b);
      const status = await returnStatus(em, ctx.actor, this.rules, {
        forceId,
        year,
        now: this.clock(),
      });
      return {
        forceId,
        year: yearLabel(year),
        status,
        from: b,
        to: a,
        changes: diffTables(older.tables, newer.tables),
      };
    });
  }

  // For exports: one stored revision's tables and summary (the service checks scope).
  async snapshot(
    em: EntityManager,
    forceId: string,
    year: number,
    revision: number,
  ): Promise<{ summary: RevisionSummary; tables: ForceReturnTables }> {
    const row = await this.find(em, forceId, year, revision);
    return { summary: toSummary(row), tables: row.tables as ForceReturnTables };
  }

  private async find(
    em: EntityManager,
    forceId: string,
    year: number,
    revision: number,
  ): Promise<Required<sql.RevisionRow>> {
    const row = await sql.selectRevision(em, forceId, year, revision);
    if (!row)
      throw new DomainError(
        'NOT_FOUND',
        `revision ${revision} of the ${yearLabel(year)} return of ${forceId} not found`,
      );
    return row;
  }
}

// The hash was taken over the canonical JSON of the tables at submission; jsonb keeps the values
// (not the key order or spacing), and canonical JSON sorts keys, so the same text comes back.
export function verify(row: { sha256: string; tables: unknown }): {
  ok: boolean;
  recomputedSha256: string;
} {
  const recomputed = sha256Hex(canonicalJson(row.tables));
  return { ok: recomputed === row.sha256, recomputedSha256: recomputed };
}
