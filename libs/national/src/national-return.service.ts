import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AccessLogService } from '#libs/access-log';
import type { RequestContext } from '#libs/auth';
import { Catalogue } from '#libs/catalogue';
import { DomainError, ScopedDb } from '#libs/persistence';
import { assertFlagYear, financialYearPeriod } from '#libs/recording-rules';
import { COUNTING_UNIT, RETURN_DEFINITIONS } from '#libs/returns';
import { aggregate } from './aggregate.js';
import { compareYears, type YearComparison } from './compare.js';
import { buildCoverage, coverageText } from './coverage.js';
import {
  prepareNationalScan,
  queryLiveCube,
  queryNationalFlagChanges,
} from './live/live-cube.query.js';
import { liveForceCounts } from './live/live-counts.js';
import type { Basis, CoverageRow, ForceCounts, NationalReturn } from './national.types.js';
import { nationalPeriod, type NationalPeriod } from './period.js';
import { queryReturnHeads, type ReturnHeadRow } from './return-heads.query.js';

export const NATIONAL_DEFINITIONS: Readonly<Record<string, string>> = {
  ...RETURN_DEFINITIONS,
  basisAccepted:
    'Each force’s accepted (or locked) current revision: the snapshot the statistics team accepted, not today’s records.',
  basisLive:
    'A preview from every expected force’s current records (confirmed records of the year), whatever the state of its return.',
  coverage:
    'Expected: forces in the catalogue for (part of) the year. Received: submitted or later. Included: counted in the totals; every total states "N of M forces".',
  regions:
    'Regions are the catalogue’s grouping of forces (data, not code), applied as it stands when the figures are produced.',
  perDay:
    'Count divided by the number of days in the financial year (366 when it contains 29 February), 1 d.p.',
};

// The national return: statisticians, national scope. The accepted basis reads snapshots only (aggregates,
// not record-level data: nothing to log); the live basis combines every force's record-level data, so it
// writes one access-log 'combination' entry in the same transaction (DPA 2018 s.62).
@Injectable()
export class NationalReturnService {
  constructor(
    private readonly db: ScopedDb,
    private readonly log: AccessLogService,
    private readonly catalogue: Catalogue,
  ) {}

  build(
    ctx: RequestContext,
    year: number,
    basis: Basis,
    now = new Date(),
  ): Promise<NationalReturn> {
    requireNational(ctx);
    assertFlagYear(year);
    const period = nationalPeriod(year);
    return this.db.run(ctx.actor.forces, async (em) => {
      const { coverage, counts } = await this.countsFor(em, ctx, period, basis);
      const agg = aggregate(this.catalogue, period, coverage, counts);
      const expected = coverage.filter((r) => r.expected);
      return {
        metadata: {
          year: period,
          basis,
          generatedAt: now.toISOString(),
          countingUnit: COUNTING_UNIT,
          definitions: { ...NATIONAL_DEFINITIONS },
          returns: {
            expected: expected.length,
            received: expected.filter((r) => r.received).length,
            accepted: expected.filter((r) => r.accepted).length,
            included: expected.filter((r) => r.included).length,
          },
          coverage: agg.national.coverage,
        },
        coverage,
        ...agg,
      };
    });
  }

  compare(
    ctx: RequestContext,
    year: number,
    otherYear: number,
    now = new Date(),
  ): Promise<YearComparison> {
    requireNational(ctx);
    if (year === otherYear) throw new DomainError('INVALID_INPUT', 'compare two different years');
    assertFlagYear(year);
    assertFlagYear(otherYear);
    return this.db.run(ctx.actor.forces, async (em) => {
      const current = {
        period: nationalPeriod(year),
        ...(await this.countsFor(em, ctx, nationalPeriod(year), 'accepted')),
      };
      const base = {
        period: nationalPeriod(otherYear),
        ...(await this.countsFor(em, ctx, nationalPeriod(otherYear), 'accepted')),
      };
      return compareYears(this.catalogue, current, base, now);
    });
  }

  async countsFor(
    em: EntityManager,
    ctx: RequestContext,
    period: NationalPeriod,
    basis: Basis,
    heads?: ReturnHeadRow[],
  ): Promise<{ coverage: CoverageRow[]; counts: ForceCounts[]; heads: ReturnHeadRow[] }> {
    const rows = heads ?? (await queryReturnHeads(em, period.startYear));
    const coverage = buildCoverage(
      this.catalogue,
      period,
      rows.map((h) => ({
        forceId: h.force_id,
        state: h.state,
        revision: h.revision,
        sha256: h.sha256,
      })),
      basis,
    );
    const included = coverage.filter((r) => r.included);
    if (basis === 'accepted') {
      const byForce = new Map(rows.map((h) => [h.force_id, h]));
      return {
        coverage,
        heads: rows,
        counts: included.map((r) => snapshotCounts(byForce.get(r.forceId)!, period)),
      };
    }
    await prepareNationalScan(em);
    const cube = await queryLiveCube(em, period.startYear);
    const fy = financialYearPeriod(period.startYear);
    const changes = await queryNationalFlagChanges(em, fy.start, fy.end);
    const counts = liveForceCounts(
      this.catalogue,
      included.map((r) => r.forceId),
      cube,
      changes,
    );
    await this.log.record(em, {
      userId: ctx.actor.userId,
      action: 'combination',
      forceIds: included.map((r) => r.forceId),
      route: ctx.route,
      purpose: ctx.purpose,
      query: {
        year: period.label,
        basis,
        coverage: coverageText(included.length, coverage.filter((r) => r.expected).length).text,
      },
      recordCount: counts.reduce((n, c) => n + c.source.recordCount, 0),
      requestId: ctx.requestId,
    });
    return { coverage, counts, heads: rows };
  }
}

export function requireNational(ctx: RequestContext): void {
  if (ctx.actor.forces !== 'all')
    throw new DomainError('FORBIDDEN_SCOPE', 'national figures need a national (all forces) scope');
}

// A snapshot is evidence: if it is not the force-year it claims to be, stop rather than sum it.
function snapshotCounts(head: ReturnHeadRow, period: NationalPeriod): ForceCounts {
  const t = head.tables;
  if (
    !t ||
    t.metadata?.force?.id !== head.force_id ||
    t.metadata?.year?.startYear !== period.startYear
  ) {
    throw new Error(
      `return snapshot ${head.force_id} ${period.label} r${head.revision} does not describe that force-year`,
    );
  }
  return {
    forceId: head.force_id,
    tableA: t.tableA,
    tableB: t.tableB,
    tableC: t.tableC,
    source: t.metadata.source,
  };
}
