import { Controller, Get, Param, Query, Req, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Roles, WebPage, type RequestContext } from '#libs/auth';
import { Catalogue } from '#libs/catalogue';
import { NationalReturnService } from '#libs/national';
import { formatFinancialYear, parseFlagYear } from '#libs/recording-rules';
import { ReturnRevisionsService, type ReturnAction } from '#libs/returns';
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
  submittedAt: string | null; // of the latest revision
  actions: ReturnAction[];
}

// The statistician's year tracker (issue 16 §2). Read today from what exists: the coverage rows of the national
// return (every expected force, its region and return state) and, per force with a return, the revisions list
// (version, latest submission, the caller's actions). A year-tracker service (GET /returns/:year) is being added
// elsewhere: trackerRows is the one place to switch to it, and it will add the accepted date and changed-since count.
@ApiExcludeController()
@Controller('year-tracker')
@WebPage()
@UseGuards(WebCsrfGuard)
export class YearTrackerController {
  constructor(
    private readonly catalogue: Catalogue,
    private readonly national: NationalReturnService,
    private readonly revisions: ReturnRevisionsService,
  ) {}

  @Get()
  @Roles('statistician')
  picker(@Res() res: Response): void {
    const now = new Date();
    const current = now.getUTCMonth() >= 3 ? now.getUTCFullYear() : now.getUTCFullYear() - 1;
    res.redirect(303, `/year-tracker/${formatFinancialYear(current - 1)}`);
  }

  @Get(':year')
  @Roles('statistician')
  async view(
    @Req() req: PageRequest,
    @Res() res: Response,
    @Param('year') yearText: string,
    @Query('state') stateFilter?: string,
    @Query('region') regionFilter?: string,
  ): Promise<void> {
    const year = parseFlagYear(yearText);
    const all = await this.trackerRows(webContext(req), year);
    const rows = all.filter(
      (r) =>
        (!stateFilter || r.state === stateFilter) &&
        (!regionFilter || r.regionName === regionFilter),
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
        submitted: count('submitted'),
        accepted: count('accepted') + count('locked'),
        returned: count('returned'),
        notStarted: count('none') + count('draft'),
      },
      filters: { state: stateFilter ?? '', region: regionFilter ?? '' },
      regions: [...new Set(all.map((r) => r.regionName))].sort(),
      states: ['none', 'draft', 'submitted', 'returned', 'accepted', 'locked'],
    });
  }

  private async trackerRows(ctx: RequestContext, year: number): Promise<TrackerRow[]> {
    const n = await this.national.build(ctx, year, 'accepted');
    const out: TrackerRow[] = [];
    for (const c of n.coverage.filter((r) => r.expected)) {
      const row: TrackerRow = {
        forceId: c.forceId,
        forceName: c.forceName,
        regionName: c.regionName,
        state: c.returnState,
        revision: c.revision ?? 0,
        version: 0,
        submittedAt: null,
        actions: [],
      };
      if (c.returnState !== 'none') {
        const list = await this.revisions.list(ctx, c.forceId, year);
        Object.assign(row, {
          revision: list.status.currentRevision,
          version: list.status.version,
          actions: list.status.actions,
          submittedAt: list.revisions.at(-1)?.submittedAt ?? null,
        });
      }
      out.push(row);
    }
    return out;
  }
}
