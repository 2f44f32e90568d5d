import { Controller, Get, Query, Req, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Roles, WebPage } from '#libs/auth';
import { Catalogue } from '#libs/catalogue';
import { toCsv, type CsvValue } from '#libs/csv';
import {
  COMPLETENESS_CSV_HEADER,
  CompletenessService,
  UnderUseService,
  notRankedBecause,
  type CompletenessFigures,
  type CompletenessView,
  type UnderUseRow,
} from '#libs/auditing';
import { funnelPlot, funnelLimits, Z95, Z998 } from '../charts/funnel-plot.js';
import { lineChart } from '../charts/line-chart.js';
import { WebCsrfGuard } from '../web-csrf.js';
import { render, type ErrorItem, type PageRequest } from '../web-page.js';
import { webContext } from '../web-context.js';
import {
  errorLine,
  forceItems,
  forceName,
  heat,
  offenceGroups,
  pct,
  sendCsv,
  str,
  yearField,
} from './audit-pages.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

// The auditor's figures (issue 17 §1–2): completeness as a heat table and monthly series, under-use as a funnel
// plot with the ranked table. Thin views over CompletenessService and UnderUseService (which log each read).
@ApiExcludeController()
@Controller('auditing')
@WebPage()
@UseGuards(WebCsrfGuard)
@Roles('auditor')
export class AuditFiguresPageController {
  constructor(
    private readonly catalogue: Catalogue,
    private readonly completeness: CompletenessService,
    private readonly underUse: UnderUseService,
  ) {}

  // National or multi-force view: one row per force, one column per offence group; with force=: that force's
  // offence groups, its monthly series, and links to the records behind each cell.
  @Get('completeness')
  async completenessPage(
    @Req() req: PageRequest,
    @Res() res: FastifyReply,
    @Query() q: Record<string, string>,
  ): Promise<void> {
    const { year, error } = yearField(q.year);
    const force = str(q.force);
    const measure = q.measure === 'age' ? 'age' : 'flag';
    const errors: Record<string, string> = {};
    if (error) errors.year = error;
    const errorList: ErrorItem[] = error ? [{ text: error, href: '#year' }] : [];
    const base = {
      title: 'Completeness',
      year: year ?? str(q.year),
      force,
      measure,
      errors,
      forces: forceItems(req, this.catalogue, force, 'All your forces'),
    };
    if (!year)
      return render(req, res, this.catalogue, 'audit/completeness', { ...base, errorList });
    const ctx = webContext(req);
    const share = (f: CompletenessFigures) =>
      measure === 'age' ? f.ageKnownShare : f.flagSetShare;
    const cell = (f: CompletenessFigures | undefined, href: string | null) =>
      f
        ? { text: pct(share(f)), records: f.records, cls: heat(share(f)), href }
        : { text: '[z]', records: 0, cls: '', href: null };
    const recordsHref = (forceId: string) =>
      `/records?force=${encodeURIComponent(forceId)}&year=${year}${measure === 'flag' ? '&flag=unknown' : ''}&purpose=audit`;
    try {
      if (force) {
        const view = await this.completeness.figures(ctx, {
          forceId: force,
          year,
          by: 'group',
          monthly: true,
        });
        const months = view.months ?? [];
        const labels = months.map(
          (m) => `${MONTHS[Number(m.month.slice(5)) - 1]} ${m.month.slice(2, 4)}`,
        );
        const chart = lineChart({
          id: 'completeness-monthly',
          title: `Completeness by month, ${forceName(this.catalogue, force)}, ${year}`,
          description: `Share of records each month with the online flag set and with the victim age known. ${months.length} months shown; the table below has the figures.`,
          labels,
          series: [
            {
              name: 'Online flag set',
              colour: '#1d70b8',
              values: months.map((m) => m.total.flagSetShare),
            },
            {
              name: 'Victim age known',
              colour: '#d4351c',
              values: months.map((m) => m.total.ageKnownShare),
            },
          ],
        });
        return render(req, res, this.catalogue, 'audit/completeness-force', {
          ...base,
          title: `Completeness: ${forceName(this.catalogue, force)}`,
          forceName: forceName(this.catalogue, force),
          view,
          groups: view.breakdown.map((g) => ({
            ...g,
            flag: cell(g, recordsHref(force)),
            flagPct: pct(g.flagSetShare),
            agePct: pct(g.ageKnownShare),
            cls: { flag: heat(g.flagSetShare), age: heat(g.ageKnownShare) },
          })),
          total: {
            ...view.total,
            flagPct: pct(view.total.flagSetShare),
            agePct: pct(view.total.ageKnownShare),
            cls: { flag: heat(view.total.flagSetShare), age: heat(view.total.ageKnownShare) },
          },
          months: months.map((m, i) => ({
            label: labels[i],
            month: m.month,
            records: m.total.records,
            flagPct: pct(m.total.flagSetShare),
            agePct: pct(m.total.ageKnownShare),
          })),
          chart,
          recordsHref: recordsHref(force),
          csvHref: `/auditing/completeness.csv?force=${encodeURIComponent(force)}&year=${year}`,
        });
      }
      const views = await this.byForce(req, year);
      const groups = [
        ...new Set(views.flatMap((v) => v.view.breakdown.map((b) => b.group ?? ''))),
      ].sort();
      const rows = views.map(({ forceId, view }) => ({
        forceId,
        name: forceName(this.catalogue, forceId),
        href: `/auditing/completeness?force=${encodeURIComponent(forceId)}&year=${year}&measure=${measure}`,
        total: cell(view.total, recordsHref(forceId)),
        cells: groups.map((g) =>
          cell(
            view.breakdown.find((b) => b.group === g),
            recordsHref(forceId),
          ),
        ),
      }));
      render(req, res, this.catalogue, 'audit/completeness', {
        ...base,
        errorList,
        groups,
        rows,
        csvHref: `/auditing/completeness.csv?year=${year}`,
        measureLabel: measure === 'age' ? 'victim age known' : 'online flag set',
      });
    } catch (e) {
      res.status(400);
      render(req, res, this.catalogue, 'audit/completeness', {
        ...base,
        errorList: [errorLine(e, '#force')],
      });
    }
  }

  // The figures shown, as CSV, through the service's own export (each logged as a disclosure).
  @Get('completeness.csv')
  async completenessCsv(
    @Req() req: PageRequest,
    @Res() res: FastifyReply,
    @Query() q: Record<string, string>,
  ): Promise<void> {
    const { year } = yearField(q.year);
    if (!year) {
      res.redirect('/auditing/completeness', 303);
      return;
    }
    const force = str(q.force);
    const ctx = webContext(req);
    if (force) {
      return sendCsv(
        res,
        `completeness-${force}-${year}.csv`,
        await this.completeness.csv(ctx, { forceId: force, year, by: 'group', monthly: true }),
      );
    }
    const rows: CsvValue[][] = [];
    for (const forceId of this.scopeForces(req)) {
      const q = { forceId, year, by: 'group' as const, monthly: false };
      for (const r of await this.completeness.csvRows(ctx, q)) rows.push([forceId, ...r]);
    }
    sendCsv(res, `completeness-${year}.csv`, toCsv(['force_id', ...COMPLETENESS_CSV_HEADER], rows));
  }

  @Get('under-use')
  async underUsePage(
    @Req() req: PageRequest,
    @Res() res: FastifyReply,
    @Query() q: Record<string, string>,
  ): Promise<void> {
    const { year, error } = yearField(q.year);
    const force = str(q.force);
    const groups = offenceGroups(this.catalogue);
    const group = groups.includes(str(q.group)) ? str(q.group) : '';
    const base = {
      title: 'Under-use of the online flag',
      year: year ?? str(q.year),
      force,
      group,
      errors: error ? { year: error } : {},
      errorList: error ? [{ text: error, href: '#year' }] : [],
      forces: forceItems(req, this.catalogue, force, 'None'),
      groups: [
        { value: '', text: 'Choose a group', selected: !group },
        ...groups.map((g) => ({ value: g, text: g, selected: g === group })),
      ],
    };
    if (!year) return render(req, res, this.catalogue, 'audit/under-use', base);
    const view = await this.underUse.compare(webContext(req), { year });
    const groupsWithData = [...new Set(view.rows.map((r) => r.group))].sort();
    const shown = group || groupsWithData[0] || '';
    const inGroup = view.rows.filter((r) => r.group === shown);
    const national = inGroup[0]?.nationalRate ?? null;
    const chart =
      national === null
        ? null
        : funnelPlot({
            id: 'funnel',
            title: `Online flag rate against number of crimes, ${shown}, ${year}`,
            description:
              `Each dot is a force: its share of ${shown} crimes flagged online against how many it recorded. ` +
              `The national rate is ${pct(national)}; dashed lines are 95% control limits and solid lines 99.8% limits. ` +
              `Forces below the lower lines flag less than chance alone would explain. The table below has the figures.`,
            nationalRate: national,
            points: inGroup.map((r) => ({
              label: forceName(this.catalogue, r.forceId),
              n: r.total,
              rate: r.rate,
              highlight: r.forceId === force,
            })),
          });
    const row = (r: UnderUseRow) => {
      const l95 = funnelLimits(r.nationalRate, r.total, Z95);
      const l998 = funnelLimits(r.nationalRate, r.total, Z998);
      return {
        ...r,
        name: forceName(this.catalogue, r.forceId),
        ratePct: pct(r.rate),
        nationalPct: pct(r.nationalRate),
        restPct: pct(r.rest.rate),
        zText: r.z === null ? '[x]' : r.z.toFixed(2),
        highlight: r.forceId === force,
        limits95: `${pct(l95.lower)} to ${pct(l95.upper)}`,
        limits998: `${pct(l998.lower)} to ${pct(l998.upper)}`,
        why: notRankedBecause(r, view.thresholds) ?? '', // after "Not ranked:"
        outlier: view.outliers.includes(r),
      };
    };
    const ranked = [...view.rows].sort(
      (a, b) =>
        Number(b.ranked) - Number(a.ranked) ||
        (a.z ?? 0) - (b.z ?? 0) ||
        a.forceId.localeCompare(b.forceId) ||
        a.group.localeCompare(b.group),
    );
    render(req, res, this.catalogue, 'audit/under-use', {
      ...base,
      view,
      shown,
      chart,
      nationalPct: national === null ? null : pct(national),
      groupTabs: groupsWithData.map((g) => ({
        text: g,
        href: `/auditing/under-use?year=${year}&group=${encodeURIComponent(g)}${force ? `&force=${encodeURIComponent(force)}` : ''}`,
        current: g === shown,
      })),
      inGroup: inGroup.map(row).sort((a, b) => a.total - b.total),
      ranked: ranked.map(row),
      csvHref: `/auditing/under-use.csv?year=${year}`,
    });
  }

  @Get('under-use.csv')
  async underUseCsv(
    @Req() req: PageRequest,
    @Res() res: FastifyReply,
    @Query() q: Record<string, string>,
  ): Promise<void> {
    const { year } = yearField(q.year);
    if (!year) {
      res.redirect('/auditing/under-use', 303);
      return;
    }
    sendCsv(res, `under-use-${year}.csv`, await this.underUse.csv(webContext(req), { year }));
  }

  private scopeForces(req: PageRequest): string[] {
    const forces = req.actor!.forces;
    return forces === 'all' ? this.catalogue.forces().map((f) => f.id) : [...forces];
  }

  // Every force in scope from one service call (one query, one access-log entry), in the catalogue's force order;
  // forces with no records in the year are left out.
  private async byForce(
    req: PageRequest,
    year: string,
  ): Promise<{ forceId: string; view: CompletenessView }[]> {
    const found = new Map(
      (await this.completeness.byForce(webContext(req), { year })).map((f) => [f.forceId, f]),
    );
    return this.scopeForces(req).flatMap((id) => found.get(id) ?? []);
  }
}
