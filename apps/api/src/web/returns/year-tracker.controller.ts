import { Controller, Get, Param, Query, Req, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Roles, WebPage, type Actor } from '#libs/auth';
import { Catalogue } from '#libs/catalogue';
import { formatFinancialYear, parseFlagYear } from '#libs/recording-rules';
import {
  allowedActions,
  RETURN_STATES,
  YearTrackerService,
  type ReturnAction,
  type YearTrackerForce,
} from '#libs/returns';
import { WebCsrfGuard } from '../web-csrf.js';
import { webContext } from '../web-context.js';
import { render, type PageRequest } from '../web-page.js';
import { base } from './return-pages.controller.js';
import { stateTag } from './return-view.js';

export interface TrackerRow {
  forceId: string;
  forceName: string;
  regionName: string;
  state: string; // 'none' when the force has not started
  revision: number;
  version: number;
  submittedAt: string | null; // of the current revision
  acceptedAt: string | null; // of the current revision
  changedSince: number | null; // records changed since the current revision was submitted
  actions: ReturnAction[];
}

const CHANGED_FILTERS = ['changed', 'unchanged'] as const;

// The statistician's year tracker (issue 16 §2): a thin view over YearTrackerService, the same one statement
// as GET /returns/:year (every expected force with its state, revision, submission and acceptance times and
// the records changed since). Filters are a GET form; the table sorts in the browser (MOJ sortable table).
@ApiExcludeController()
@Controller('year-tracker')
@WebPage()
@UseGuards(WebCsrfGuard)
export class YearTrackerController {
  constructor(
    private readonly catalogue: Catalogue,
    private readonly tracker: YearTrackerService,
  ) {}

  @Get()
  @Roles('statistician')
  picker(@Res() res: FastifyReply): void {
    const now = new Date();
    const current = now.getUTCMonth() >= 3 ? now.getUTCFullYear() : now.getUTCFullYear() - 1;
    res.redirect(`/year-tracker/${formatFinancialYear(current - 1)}`, 303);
  }

  @Get(':year')
  @Roles('statistician')
  async view(
    @Req() req: PageRequest,
    @Res() res: FastifyReply,
    @Param('year') yearText: string,
    @Query('state') stateFilter?: string,
    @Query('region') regionFilter?: string,
    @Query('changed') changedFilter?: string,
  ): Promise<void> {
    const year = parseFlagYear(yearText);
    const all = (await this.tracker.year(webContext(req), year)).forces.map((f) =>
      trackerRow(req.actor!, f),
    );
    const changed = (CHANGED_FILTERS as readonly string[]).includes(changedFilter ?? '')
      ? changedFilter
      : '';
    const rows = all.filter(
      (r) =>
        (!stateFilter || r.state === stateFilter) &&
        (!regionFilter || r.regionName === regionFilter) &&
        (!changed || (changed === 'changed' ? (r.changedSince ?? 0) > 0 : r.changedSince === 0)),
    );
    const label = formatFinancialYear(year);
    const count = (s: string) => all.filter((r) => r.state === s).length;
    render(req, res, this.catalogue, 'returns/tracker', {
      title: `Returns for ${label}`,
      year: label,
      rows: rows.map((r) => ({
        ...r,
        tag: stateTag(r.state as never),
        href: base(r.forceId, label),
      })),
      summary: {
        expected: all.length,
        submitted: count('submitted') + count('revised'),
        accepted: count('accepted') + count('locked'),
        returned: count('returned'),
        notStarted: count('none') + count('draft'),
        changed: all.filter((r) => (r.changedSince ?? 0) > 0).length,
      },
      filters: { state: stateFilter ?? '', region: regionFilter ?? '', changed },
      regions: [...new Set(all.map((r) => r.regionName))].sort(),
      states: ['none', ...RETURN_STATES],
    });
  }
}

// A tracker force as the page shows it; the row's next steps are the statistician's transitions from its state
// (accept and return do not depend on whether the data changed).
export function trackerRow(actor: Actor, f: YearTrackerForce): TrackerRow {
  const state = f.state === 'not started' ? 'none' : f.state;
  return {
    forceId: f.forceId,
    forceName: f.forceName,
    regionName: f.regionName,
    state,
    revision: f.currentRevision,
    version: f.version,
    submittedAt: f.latestSubmittedAt,
    acceptedAt: f.acceptedAt,
    changedSince: f.changedSinceSubmission,
    actions:
      state === 'none'
        ? []
        : allowedActions(actor, { forceId: f.forceId, state, dataChanged: false }).filter(
            (a) => a === 'accept' || a === 'return',
          ),
  };
}
