import { Inject, Injectable } from '@nestjs/common';
import { AccessLogService } from '#libs/access-log';
import type { RequestContext } from '#libs/auth';
import { ScopedDb } from '#libs/persistence';
import { formatFinancialYear, parseFlagYear } from '#libs/recording-rules';
import { accessEntry } from '../audit-context.js';
import { toCsv } from '#libs/csv';
import { AUDITING_CONFIG, type AuditingConfig } from '../auditing-config.js';
import { queryForceFlagRates, queryNationalFlagRates } from './under-use.query.js';
import {
  notRankedBecause,
  underUseOutliers,
  underUseRows,
  type UnderUseRow,
  type UnderUseThresholds,
} from './under-use.js';

export const UNDER_USE_CSV_HEADER = [
  'year',
  'force_id',
  'group',
  'flagged',
  'total',
  'rate',
  'rest_flagged',
  'rest_total',
  'rest_rate',
  'national_rate',
  'z',
  'p_value',
  'ranked',
  'not_ranked_because',
  'outlier',
  'reading',
] as const;

export interface UnderUseView {
  year: string;
  group: string | null;
  counted: string;
  comparison: string;
  thresholds: UnderUseThresholds;
  rows: UnderUseRow[];
  outliers: UnderUseRow[];
}

@Injectable()
export class UnderUseService {
  constructor(
    private readonly db: ScopedDb,
    private readonly log: AccessLogService,
    @Inject(AUDITING_CONFIG) private readonly config: AuditingConfig,
  ) {}

  compare(ctx: RequestContext, q: { year: string; group?: string }): Promise<UnderUseView> {
    return this.view(ctx, q, 'consultation');
  }

  // The figures for a file the caller takes away (this CSV, the web page's download): logged as a disclosure
  // (DPA 2018 s.62), as completeness's CSV, not as a consultation.
  exported(ctx: RequestContext, q: { year: string; group?: string }): Promise<UnderUseView> {
    return this.view(ctx, q, 'disclosure');
  }

  // The same figures, one row per force and group, outliers marked, through the auditors' CSV writer
  // (formula-injection guard); an export is a disclosure (DPA 2018 s.62), as completeness's CSV. The API's
  // export and the auditor's page's download are this one CSV.
  async csv(ctx: RequestContext, q: { year: string; group?: string }): Promise<string> {
    const v = await this.exported(ctx, q);
    const outliers = new Set(v.outliers);
    return toCsv(
      UNDER_USE_CSV_HEADER,
      v.rows.map((r) => [
        v.year,
        r.forceId,
        r.group,
        r.flagged,
        r.total,
        r.rate,
        r.rest.flagged,
        r.rest.total,
        r.rest.rate,
        r.nationalRate,
        r.z,
        r.pValue,
        r.ranked,
        notRankedBecause(r, v.thresholds),
        outliers.has(r),
        r.reading,
      ]),
    );
  }

  private async view(
    ctx: RequestContext,
    q: { year: string; group?: string },
    action: 'consultation' | 'disclosure',
  ): Promise<UnderUseView> {
    const year = parseFlagYear(q.year);
    const group = q.group ?? null;
    const scope = ctx.actor.forces;
    // The caller's own forces, in the caller's scope (a force auditor sees only their forces' rows).
    const forces = await this.db.run(scope, async (em) => {
      const rows = await queryForceFlagRates(em, {
        forceIds: scope === 'all' ? null : [...scope],
        year,
        group,
      });
      await this.log.record(
        em,
        accessEntry(ctx, action, scope === 'all' ? [] : scope, {
          query: { year: q.year, group, national: scope === 'all' },
          recordCount: rows.reduce((n, r) => n + r.total, 0),
        }),
      );
      return rows;
    });
    // The national totals need every force's records, so this one query runs with scope 'all'. It is safe
    // for a force-scoped caller because it returns aggregates only: one (flagged, total) pair per offence
    // group for the whole of England and Wales, with no force, no record id and no record field. No
    // record-level data leaves the caller's scope; only the comparison figure that the reading needs.
    const national = await this.db.run('all', (em) => queryNationalFlagRates(em, { year, group }));
    const thresholds = {
      minRecords: this.config.underUseMinRecords,
      zThreshold: this.config.underUseZThreshold,
    };
    const rows = underUseRows(forces, national, thresholds);
    return {
      year: formatFinancialYear(year),
      group,
      counted: 'confirmed records recorded in the year',
      comparison:
        'each force against the rest of England and Wales (two-proportion z-score; negative = flags less)',
      thresholds,
      rows,
      outliers: underUseOutliers(rows, thresholds),
    };
  }
}
