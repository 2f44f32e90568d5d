import { Injectable } from '@nestjs/common';
import { AccessLogService } from '#libs/access-log';
import type { RequestContext } from '#libs/auth';
import { ScopedDb } from '#libs/persistence';
import { formatFinancialYear, parseFlagYear } from '#libs/recording-rules';
import { accessEntry, forcesFor } from '../audit-context.js';
import { toCsv, type CsvValue } from '#libs/csv';
import {
  queryCompleteness,
  queryCompletenessByForce,
  type CompletenessBreakdown,
  type CompletenessRow,
} from './completeness.query.js';

export interface CompletenessQuery {
  forceId?: string;
  year: string; // '2017-18'
  by: CompletenessBreakdown;
  monthly: boolean;
}

export interface CompletenessFigures {
  group: string | null; // null on totals
  code: string | null; // by=code only
  records: number;
  flagYes: number;
  flagNo: number;
  flagUnknown: number;
  flagSetShare: number | null; // (yes + no) / records
  flagUnknownShare: number | null;
  ageKnown: number;
  ageKnownShare: number | null;
}

export interface CompletenessView {
  forces: string[] | 'all';
  year: string;
  by: CompletenessBreakdown;
  counted: string;
  total: CompletenessFigures;
  breakdown: CompletenessFigures[];
  months?: { month: string; total: CompletenessFigures; breakdown: CompletenessFigures[] }[];
}

const COUNTED =
  'draft and confirmed records recorded in the year (cancelled and transferred records are not recorded crime); months by recorded date in UK time';

// Completeness of the online flag and victim age (issue 7 §1): aggregates only, read from the maintained
// aggregate (crime_figures_monthly, issue #22) rather than a scan of the year's records, with the same results.
// Still figures about record-level data in the caller's scope, so each request is logged (purpose 'audit').
export const COMPLETENESS_CSV_HEADER = [
  'period',
  'level',
  'offence_group',
  'offence_code',
  'records',
  'flag_yes',
  'flag_no',
  'flag_unknown',
  'flag_set_share',
  'flag_unknown_share',
  'age_known',
  'age_known_share',
] as const;

@Injectable()
export class CompletenessService {
  constructor(
    private readonly db: ScopedDb,
    private readonly log: AccessLogService,
  ) {}

  async figures(ctx: RequestContext, q: CompletenessQuery): Promise<CompletenessView> {
    const { forceIds, year, rows } = await this.run(ctx, q, 'consultation');
    const total = rows.find((r) => r.month === null && r.level === 'total');
    if (!total) throw new Error('completeness query returned no total row');
    const view: CompletenessView = {
      forces: forceIds ?? 'all',
      year: formatFinancialYear(year),
      by: q.by,
      counted: COUNTED,
      total: figures(total),
      breakdown: rows.filter((r) => r.month === null && r.level !== 'total').map(figures),
    };
    if (q.monthly) {
      const months = [...new Set(rows.flatMap((r) => (r.month === null ? [] : [r.month])))];
      view.months = months.map((month) => {
        const inMonth = rows.filter((r) => r.month === month);
        const t = inMonth.find((r) => r.level === 'total');
        if (!t) throw new Error(`completeness query returned no total for ${month}`);
        return {
          month,
          total: figures(t),
          breakdown: inMonth.filter((r) => r.level !== 'total').map(figures),
        };
      });
    }
    return view;
  }

  // The year's figures by offence group for every force in scope (or the one asked for), from one query over
  // the maintained aggregate: the national heat table. Forces with no records in the year are left out. One access-log entry for the request.
  async byForce(
    ctx: RequestContext,
    q: { year: string; forceId?: string },
  ): Promise<{ forceId: string; view: CompletenessView }[]> {
    const year = parseFlagYear(q.year);
    const forceIds = forcesFor(ctx.actor, q.forceId);
    const rows = await this.db.run(ctx.actor.forces, async (em) => {
      const result = await queryCompletenessByForce(em, { forceIds, year });
      const totals = result.filter((r) => r.level === 'total');
      await this.log.record(
        em,
        accessEntry(ctx, 'consultation', forceIds ?? totals.map((r) => r.force_id), {
          query: {
            forceId: q.forceId ?? null,
            year: q.year,
            by: 'force',
            national: forceIds === null,
          },
          recordCount: totals.reduce((n, r) => n + r.records, 0),
        }),
      );
      return result;
    });
    const out: { forceId: string; view: CompletenessView }[] = [];
    for (const total of rows.filter((r) => r.level === 'total'))
      out.push({
        forceId: total.force_id,
        view: {
          forces: [total.force_id],
          year: formatFinancialYear(year),
          by: 'group',
          counted: COUNTED,
          total: figures(total),
          breakdown: rows
            .filter((r) => r.force_id === total.force_id && r.level === 'group')
            .map(figures),
        },
      });
    return out;
  }

  // The same figures as one flat table; an export is a disclosure (DPA 2018 s.62).
  async csv(ctx: RequestContext, q: CompletenessQuery): Promise<string> {
    return toCsv(COMPLETENESS_CSV_HEADER, await this.csvRows(ctx, q));
  }

  // The rows of csv(), for an export that puts several forces' figures in one file (the web page's).
  async csvRows(ctx: RequestContext, q: CompletenessQuery): Promise<CsvValue[][]> {
    const { year, rows } = await this.run(ctx, q, 'disclosure');
    return rows.map((r) => [
      r.month ?? formatFinancialYear(year),
      r.level,
      r.group_name,
      r.offence_code,
      r.records,
      r.flag_yes,
      r.flag_no,
      r.flag_unknown,
      r.flag_set_share,
      r.flag_unknown_share,
      r.age_known,
      r.age_known_share,
    ]);
  }

  private async run(
    ctx: RequestContext,
    q: CompletenessQuery,
    action: 'consultation' | 'disclosure',
  ) {
    const year = parseFlagYear(q.year);
    const forceIds = forcesFor(ctx.actor, q.forceId);
    const rows = await this.db.run(ctx.actor.forces, async (em) => {
      const result = await queryCompleteness(em, { forceIds, year, by: q.by, monthly: q.monthly });
      const counted = result.find((r) => r.month === null && r.level === 'total')?.records ?? 0;
      await this.log.record(
        em,
        accessEntry(ctx, action, forceIds ?? [], {
          query: {
            forceId: q.forceId ?? null,
            year: q.year,
            by: q.by,
            monthly: q.monthly,
            national: forceIds === null,
          },
          recordCount: counted,
        }),
      );
      return result;
    });
    return { forceIds, year, rows };
  }
}

function figures(r: CompletenessRow): CompletenessFigures {
  return {
    group: r.group_name,
    code: r.offence_code,
    records: r.records,
    flagYes: r.flag_yes,
    flagNo: r.flag_no,
    flagUnknown: r.flag_unknown,
    flagSetShare: r.flag_set_share,
    flagUnknownShare: r.flag_unknown_share,
    ageKnown: r.age_known,
    ageKnownShare: r.age_known_share,
  };
}
