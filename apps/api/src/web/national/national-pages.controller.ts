import { Controller, Get, Param, Query, Req, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Roles, WebPage } from '#libs/auth';
import { Catalogue } from '#libs/catalogue';
import { DomainError } from '#libs/persistence';
import { formatFinancialYear, parseFlagYear } from '#libs/recording-rules';
import {
  NationalReturnService,
  type AreaAggregate,
  type Basis,
  type YearComparison,
} from '#libs/national';
import { WebCsrfGuard } from '../web-csrf.js';
import { render, type PageRequest } from '../web-page.js';
import { webContext } from '../web-context.js';
import { stateTag } from '../returns/return-view.js';
import { nationalCharts } from './national-charts.js';

// National figures in the browser (issue 16 §3, §4): a thin view over NationalReturnService's build and compare,
// the same calls as GET /national/:year and /national/:year/compare/:otherYear.
@ApiExcludeController()
@Controller('national-figures')
@WebPage()
@UseGuards(WebCsrfGuard)
export class NationalPagesController {
  constructor(
    private readonly catalogue: Catalogue,
    private readonly national: NationalReturnService,
  ) {}

  @Get()
  @Roles('statistician')
  picker(@Res() res: FastifyReply, @Query('year') year?: string): void {
    const now = new Date();
    const current = now.getUTCMonth() >= 3 ? now.getUTCFullYear() : now.getUTCFullYear() - 1;
    res.redirect(
      `/national-figures/${year && /^\d{4}-\d{2}$/.test(year) ? year : formatFinancialYear(current - 1)}`,
      303,
    );
  }

  @Get(':year')
  @Roles('statistician')
  async view(
    @Req() req: PageRequest,
    @Res() res: FastifyReply,
    @Param('year') yearText: string,
    @Query('basis') basisText?: string,
    @Query('compareWith') compareText?: string,
  ): Promise<void> {
    const year = parseFlagYear(yearText);
    const basis: Basis = basisText === 'live' ? 'live' : 'accepted';
    const other = compareText ? parseFlagYear(compareText) : year - 1;
    if (other === year) throw new DomainError('INVALID_INPUT', 'compare two different years');
    const ctx = webContext(req);
    const n = await this.national.build(ctx, year, basis);
    // Year on year is always over accepted returns (the service's rule), whatever the page's basis.
    const cmp: YearComparison = await this.national.compare(ctx, year, other);
    const included = n.forces.filter((f): f is AreaAggregate => 'tableA' in f);
    const areas = [n.national, ...n.regions].map(keyFigures);
    render(req, res, this.catalogue, 'national/view', {
      title: `National figures ${n.metadata.year.label}`,
      n,
      basis,
      live: basis === 'live',
      notIncluded: n.coverage
        .filter((r) => r.expected && !r.included)
        .map((r) => ({ ...r, tag: stateTag(r.returnState) })),
      areas,
      forces: n.forces.map((f) =>
        'tableA' in f ? keyFigures(f) : { name: f.name, missing: f.status },
      ),
      includedCount: included.length,
      cmp,
      yoy: cmp.forces.length > 0 ? [cmp.national, ...cmp.forces].map(changeRow) : [],
      charts: nationalCharts(n, cmp),
      years: { current: n.metadata.year.label, other: formatFinancialYear(other) },
      otherBasisHref: `/national-figures/${n.metadata.year.label}${basis === 'live' ? '' : '?basis=live'}`,
    });
  }
}

function keyFigures(a: AreaAggregate) {
  const t = a.tableA.rows.at(-1)!;
  return {
    name: a.name,
    level: a.level,
    coverage: a.coverage.text,
    recorded: t.total,
    flagged: t.flagYes,
    pct: t.pctFlagged,
    cso: a.tableB.summary.total,
    rapes: a.tableB.summary.rapes,
    perDay: a.perDay,
  };
}

function changeRow(c: YearComparison['national']) {
  const m = (k: string) => c.measures.find((x) => x.measure === k);
  return {
    name: c.name,
    level: c.level,
    coverage: c.coverage.text,
    recorded: m('recordedCrimes'),
    flagged: m('onlineFlagged'),
    pct: m('pctFlagged'),
    perDay: m('childSexualOffencesPerDay'),
  };
}
