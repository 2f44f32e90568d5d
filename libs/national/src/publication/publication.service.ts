import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AccessLogService, type Checkpoint } from '#libs/access-log';
import type { RequestContext } from '#libs/auth';
import { Catalogue } from '#libs/catalogue';
import { resolveDisclosureConfig, type DisclosureConfig } from '#libs/disclosure';
import { DomainError, ScopedDb } from '#libs/persistence';
import { assertFlagYear } from '#libs/recording-rules';
import { canonicalJson, sha256Hex } from '#libs/returns';
import { prepareNationalScan, queryLiveCube } from '../live/live-cube.query.js';
import { liveForceCounts, offenceAgeCounts } from '../live/live-counts.js';
import {
  NATIONAL_DEFINITIONS,
  NationalReturnService,
  requireNational,
} from '../national-return.service.js';
import type { CoverageRow, ForceCounts } from '../national.types.js';
import { nationalPeriod, type NationalPeriod } from '../period.js';
import { queryReturnHeads } from '../return-heads.query.js';
import { buildPublication, type PublicationInput } from './build-publication.js';
import { PUBLICATION_CONFIG, type PublicationConfig } from './publication-config.js';
import {
  getPublicationSql,
  insertPublication,
  listPublicationsSql,
  lockReturns,
  queryCurrentPublication,
  type CurrentPublicationRow,
  type PublicationRow,
} from './publication.query.js';
import type {
  AcknowledgedMissingForce,
  PublicationContent,
  ReturnUsed,
  SupersededRef,
} from './publication.types.js';

export interface PublicationSummaryView {
  id: string;
  year: string;
  title: string;
  config: Record<string, unknown>;
  sha256: string;
  returnsUsed: ReturnUsed[];
  publishedAt: string;
  publishedBy: string;
  // 'superseded' once a later publication of the year replaced it; it stays readable and verifiable.
  status: 'current' | 'superseded';
  supersedes: string | null;
  supersededBy: { id: string; publishedAt: string } | null;
  // The access log's signed head when the publication was made (sealed first): every copy of the publication
  // anchors the log outside the database, for `cyberflag audit verify --checkpoint`. Not part of the hashed
  // content (it is signed itself). Null: no checkpoint folder, or published before checkpoints were carried.
  accessLogCheckpoint: Checkpoint | null;
}

export interface PublishRequest {
  title: string;
  disclosure: DisclosureConfig;
  // Ids of expected forces whose returns are not accepted, published without on purpose (coverage guard).
  acknowledgeMissingForces?: readonly string[];
}

// What a publication would be with these settings: nothing stored, nothing locked.
export interface PublicationPreview {
  year: string;
  title: string;
  config: Record<string, unknown>;
  content: PublicationContent;
}

export interface PublicationView extends PublicationSummaryView {
  verified: boolean; // the stored content still hashes to sha256
  content: PublicationContent;
}

// A publication: the disclosure-controlled tables of a year from the accepted returns, stored as an
// immutable hashed snapshot, locking (in the same transaction) every return it used.
@Injectable()
export class PublicationService {
  constructor(
    private readonly db: ScopedDb,
    private readonly log: AccessLogService,
    private readonly catalogue: Catalogue,
    private readonly national: NationalReturnService,
    @Inject(PUBLICATION_CONFIG) private readonly config: PublicationConfig,
  ) {}

  // A year may be published again (corrections after publication): the new publication supersedes the
  // year's current one, which stays as it was, readable and verifiable, and is shown as superseded.
  async publish(
    ctx: RequestContext,
    year: number,
    req: PublishRequest,
    now = new Date(),
  ): Promise<PublicationView> {
    const period = this.checked(ctx, year, req.disclosure);
    // Before the transaction: sealing waits for the transactions in flight, this one's would never end.
    const checkpoint = await this.log.checkpoint();
    return this.db.run(ctx.actor.forces, async (em) => {
      // FOR UPDATE: no accept/return can slip in between reading the revisions and locking them.
      const figures = await this.acceptedFigures(em, ctx, period, year, true);
      const { coverage, counts } = figures;
      const missingForcesAcknowledged = this.coverageGuard(
        period,
        coverage,
        req.acknowledgeMissingForces ?? [],
      );
      const previous = await queryCurrentPublication(em, year);
      const supersedes = previous ? supersededRef(previous, coverage) : null;
      const content = this.content(period, figures, req, now, {
        supersedes,
        missingForcesAcknowledged,
      });
      const sha256 = sha256Hex(canonicalJson(content));
      const row = await insertPublication(em, {
        year,
        title: req.title,
        config: req.disclosure,
        content,
        sha256,
        by: ctx.actor.userId,
        checkpoint,
      });
      await lockReturns(
        em,
        year,
        counts.map((c) => c.forceId),
        ctx.actor.userId,
        `publication ${row.id}`,
      );
      return {
        id: row.id,
        year: period.label,
        title: req.title,
        config: { ...req.disclosure },
        sha256,
        returnsUsed: content.metadata.returnsUsed,
        publishedAt: row.published_at,
        publishedBy: ctx.actor.userId,
        status: 'current',
        supersedes: supersedes?.id ?? null,
        supersededBy: null,
        accessLogCheckpoint: checkpoint,
        verified: true,
        content,
      };
    });
  }

  // What publishing and previewing both check first: a national caller, a year of the flag, a valid disclosure setting.
  private checked(ctx: RequestContext, year: number, disclosure: DisclosureConfig): NationalPeriod {
    requireNational(ctx);
    assertFlagYear(year);
    try {
      resolveDisclosureConfig(disclosure);
    } catch (e) {
      throw new DomainError(
        'INVALID_INPUT',
        e instanceof Error ? e.message : 'invalid disclosure configuration',
      );
    }
    return nationalPeriod(year);
  }

  // The accepted returns' figures a publication is made of (forUpdate: lock the return heads while publishing).
  private async acceptedFigures(
    em: EntityManager,
    ctx: RequestContext,
    period: NationalPeriod,
    year: number,
    forUpdate: boolean,
  ) {
    const heads = await queryReturnHeads(em, year, forUpdate);
    const { coverage, counts } = await this.national.countsFor(em, ctx, period, 'accepted', heads);
    if (counts.length === 0) {
      throw new DomainError(
        'RULE_VIOLATION',
        `no accepted returns for ${period.label}: nothing to publish`,
        { ruleCodes: ['CF-PUB-001'] },
      );
    }
    const { ages, note } = await this.offenceAges(em, ctx, year, counts);
    return { coverage, counts, ages, note };
  }

  // The publication's tables from the accepted figures: what publish() stores and preview() shows.
  private content(
    period: NationalPeriod,
    figures: Awaited<ReturnType<PublicationService['acceptedFigures']>>,
    req: { title: string; disclosure: DisclosureConfig },
    now: Date,
    lineage: Pick<PublicationInput, 'supersedes' | 'missingForcesAcknowledged'> = {},
  ): PublicationContent {
    return buildPublication({
      title: req.title,
      period,
      disclosure: req.disclosure,
      catalogue: this.catalogue,
      coverage: figures.coverage,
      forces: figures.counts,
      offenceAges: figures.ages,
      offenceAgesNote: figures.note,
      definitions: { ...NATIONAL_DEFINITIONS },
      generatedAt: now,
      ...lineage,
    });
  }

  // Publishing with fewer than config.minCoverage of the expected forces accepted needs every missing force
  // acknowledged by id: 422 CF-PUB-002 names them. Returns the acknowledged missing forces (recorded in the
  // publication, hashed with it). An id that is not an expected force is a typo: 400.
  private coverageGuard(
    period: NationalPeriod,
    coverage: readonly CoverageRow[],
    acknowledged: readonly string[],
  ): AcknowledgedMissingForce[] {
    const expected = coverage.filter((r) => r.expected);
    const unknown = acknowledged.filter((id) => !expected.some((r) => r.forceId === id));
    if (unknown.length > 0) {
      throw new DomainError(
        'INVALID_INPUT',
        `acknowledgeMissingForces names forces ${period.label} does not expect: ${unknown.join(', ')}`,
      );
    }
    const missing = expected.filter((r) => !r.included);
    const ack = new Set(acknowledged);
    const share = expected.length === 0 ? 1 : (expected.length - missing.length) / expected.length;
    const unacknowledged = missing.filter((r) => !ack.has(r.forceId));
    if (share < this.config.minCoverage && unacknowledged.length > 0) {
      const pct = (n: number) => `${Math.round(n * 1000) / 10}%`;
      const list = unacknowledged.map((r) => `${r.forceName} (${r.status})`).join(', ');
      throw new DomainError(
        'RULE_VIOLATION',
        `${period.label}: ${expected.length - missing.length} of ${expected.length} expected forces accepted (${pct(share)}), below the ${pct(this.config.minCoverage)} needed to publish without acknowledging the missing forces. Not acknowledged: ${list}. To publish without them, send their ids in acknowledgeMissingForces.`,
        {
          ruleCodes: ['CF-PUB-002'],
          coverage: {
            accepted: expected.length - missing.length,
            expected: expected.length,
            share,
            minCoverage: this.config.minCoverage,
          },
          missingForces: unacknowledged.map((r) => ({
            forceId: r.forceId,
            forceName: r.forceName,
            status: r.status,
          })),
        },
      );
    }
    return missing
      .filter((r) => ack.has(r.forceId))
      .map((r) => ({ forceId: r.forceId, forceName: r.forceName, status: r.status }));
  }

  // The same tables as publish() would make, for the statistician to review the information loss and change
  // the settings before publishing. Reads without locking (FOR UPDATE is for the publication itself).
  preview(
    ctx: RequestContext,
    year: number,
    req: { title: string; disclosure: DisclosureConfig },
    now = new Date(),
  ): Promise<PublicationPreview> {
    const period = this.checked(ctx, year, req.disclosure);
    return this.db.run(ctx.actor.forces, async (em) => {
      const figures = await this.acceptedFigures(em, ctx, period, year, false);
      const content = this.content(period, figures, req, now);
      return { year: period.label, title: req.title, config: { ...req.disclosure }, content };
    });
  }

  list(ctx: RequestContext, year: number): Promise<PublicationSummaryView[]> {
    assertFlagYear(year);
    return this.db.run(ctx.actor.forces, async (em) => {
      const rows: PublicationRow[] = await em.query(listPublicationsSql, [year]);
      return rows.map(summaryView);
    });
  }

  get(ctx: RequestContext, id: string): Promise<PublicationView> {
    return this.db.run(ctx.actor.forces, async (em) => {
      const [row]: PublicationRow[] = await em.query(getPublicationSql, [id]);
      if (!row?.tables) throw new DomainError('NOT_FOUND', `publication ${id} not found`);
      return {
        ...summaryView(row),
        verified: sha256Hex(canonicalJson(row.tables)) === row.sha256,
        content: row.tables,
      };
    });
  }

  // The offence × age band table needs each crime's code and age, which the force return does not keep,
  // so it is computed from the records, but only when every force's records are exactly those its
  // accepted return was computed from (same high-water mark and the same table B); otherwise it is left
  // out, saying why. Reading records of every force is a 'combination' (DPA 2018 s.62).
  private async offenceAges(
    em: EntityManager,
    ctx: RequestContext,
    year: number,
    counts: readonly ForceCounts[],
  ) {
    await prepareNationalScan(em);
    const ids = counts.map((c) => c.forceId);
    // A publication is signed: read the records themselves, not the maintained aggregate.
    const cube = await queryLiveCube(em, year, 'records');
    const live = new Map(liveForceCounts(this.catalogue, ids, cube, []).map((c) => [c.forceId, c]));
    const changed = counts.filter((c) => {
      const l = live.get(c.forceId)!;
      return (
        canonicalJson(l.source) !== canonicalJson(c.source) ||
        canonicalJson(l.tableB.rows) !== canonicalJson(c.tableB.rows)
      );
    });
    await this.log.record(em, {
      userId: ctx.actor.userId,
      action: 'combination',
      forceIds: ids,
      route: ctx.route,
      purpose: ctx.purpose,
      query: {
        year: nationalPeriod(year).label,
        use: 'publication: offence × age band',
        unchanged: changed.length === 0,
      },
      recordCount: [...live.values()].reduce((n, c) => n + c.source.recordCount, 0),
      requestId: ctx.requestId,
    });
    if (changed.length === 0) return { ages: offenceAgeCounts(cube, ids), note: null };
    const names = changed.map((c) => this.catalogue.force(c.forceId)?.name ?? c.forceId).join(', ');
    return {
      ages: null,
      note: `Offence × age band is not published: it is computed from the records, and the records of ${names} changed after their returns were accepted, so it would not match the accepted returns.`,
    };
  }
}

function summaryView(r: PublicationRow): PublicationSummaryView {
  return {
    id: r.id,
    year: nationalPeriod(r.financial_year).label,
    title: r.title,
    config: r.config,
    sha256: r.sha256,
    returnsUsed: r.returns_used,
    publishedAt: r.published_at,
    publishedBy: r.published_by,
    status: r.superseded_by ? 'superseded' : 'current',
    supersedes: r.supersedes,
    supersededBy: r.superseded_by ? { id: r.superseded_by, publishedAt: r.superseded_at! } : null,
    accessLogCheckpoint: r.access_log_checkpoint ?? null,
  };
}

// What the new publication changes against the one it supersedes: forces whose return revision used
// differs, or that one of the two left out.
function supersededRef(
  previous: CurrentPublicationRow,
  coverage: readonly CoverageRow[],
): SupersededRef {
  const before = new Map(previous.returns_used.map((r) => [r.forceId, r.revision]));
  const after = new Map(coverage.filter((r) => r.included).map((r) => [r.forceId, r.revision!]));
  const names = new Map(coverage.map((r) => [r.forceId, r.forceName]));
  const ids = [...new Set([...before.keys(), ...after.keys()])].sort();
  return {
    id: previous.id,
    publishedAt: previous.published_at,
    returnsChanged: ids
      .filter((id) => before.get(id) !== after.get(id))
      .map((id) => ({
        forceId: id,
        forceName: names.get(id) ?? id,
        revisionBefore: before.get(id) ?? null,
        revisionAfter: after.get(id) ?? null,
      })),
  };
}
