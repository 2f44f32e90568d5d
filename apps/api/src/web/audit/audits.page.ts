import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Req,
  Res,
  UseGuards,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Roles, WebPage } from '#libs/auth';
import { Catalogue } from '#libs/catalogue';
import {
  AuditsService,
  VERDICTS,
  type AuditView,
  type MeasureResult,
  type Verdict,
} from '#libs/auditing';
import { CrimeQueryService } from '#libs/crimes';
import { DomainError } from '#libs/persistence';
import { forestPlot } from '../charts/forest-plot.js';
import { WebCsrfGuard } from '../web-csrf.js';
import { render, type PageRequest } from '../web-page.js';
import { webContext } from '../web-context.js';
import {
  errorLine,
  forceItems,
  forceName,
  offenceGroups,
  pct,
  statusOf,
  str,
  yearField,
} from './audit-pages.js';

const Uuid = (name: string) => Param(name, new ParseUUIDPipe({ version: undefined }));
type FormBody = Record<string, unknown>;
const VERDICT_TEXT: Record<Verdict, string> = {
  correct: 'Correct',
  incorrect: 'Wrong',
  cannot_tell: 'Cannot tell',
};
const MEASURES = { flag: 'Online flag', classification: 'Classification' } as const;

// Sample audits (issue 17 §4): define, work the sample one record at a time, close, read the results. Thin views
// over AuditsService; the record's facts come from CrimeQueryService (both log the access, purpose audit).
@ApiExcludeController()
@Controller('auditing/audits')
@WebPage()
@UseGuards(WebCsrfGuard)
@Roles('auditor')
export class AuditsPageController {
  constructor(
    private readonly catalogue: Catalogue,
    private readonly audits: AuditsService,
    private readonly crimes: CrimeQueryService,
  ) {}

  @Get()
  async list(@Req() req: PageRequest, @Res() res: FastifyReply): Promise<void> {
    const items = await this.audits.list(webContext(req), { limit: 200 });
    render(req, res, this.catalogue, 'audit/audits', {
      title: 'Sample audits',
      currentSection: '/auditing/audits',
      items: items.map((a) => ({
        ...a,
        force: forceName(this.catalogue, a.forceId),
        href: `/auditing/audits/${a.id}`,
      })),
    });
  }

  @Get('new')
  newForm(@Req() req: PageRequest, @Res() res: FastifyReply): void {
    this.renderNew(req, res, {}, {});
  }

  @Post('new')
  @HttpCode(200)
  async create(
    @Req() req: PageRequest,
    @Res() res: FastifyReply,
    @Body() body: FormBody,
  ): Promise<void> {
    const errors: Record<string, string> = {};
    const force = str(body.force);
    if (!force) errors.force = 'Select the force to audit';
    const { year, error } = yearField(body.year);
    if (error) errors.year = error;
    if (!year && !error) errors.year = 'Enter the financial year the records were recorded in';
    const groups = ([] as unknown[])
      .concat(body.offenceGroups ?? [])
      .map(str)
      .filter(Boolean);
    if (groups.length === 0) errors.offenceGroups = 'Select at least one offence group';
    // Exactly one of the two sizes (the API's rule).
    const basis = str(body.targetMargin) && !str(body.sampleSize) ? 'targetMargin' : 'sampleSize';
    const sampleSize = Number(str(body.sampleSize));
    const margin = Number(str(body.targetMargin)) / 100;
    if (str(body.sampleSize) && str(body.targetMargin))
      errors.sampleSize = 'Give a sample size or a margin of error, not both';
    else if (
      basis === 'sampleSize' &&
      !(Number.isInteger(sampleSize) && sampleSize >= 1 && sampleSize <= 100000)
    )
      errors.sampleSize = 'Enter a sample size (a whole number from 1) or a margin of error';
    if (basis === 'targetMargin' && !(margin >= 0.005 && margin <= 0.5))
      errors.targetMargin = 'Enter a margin of error between 0.5 and 50 percentage points';
    if (Object.keys(errors).length > 0) return this.renderNew(req, res, body, errors, 400);
    try {
      const audit = await this.audits.create(webContext(req), {
        forceId: force,
        year,
        offenceGroups: groups,
        size: basis === 'sampleSize' ? { sampleSize } : { targetMargin: margin },
        seed: str(body.seed) || undefined,
      });
      res.redirect(`/auditing/audits/${audit.id}?notice=created`, 303);
    } catch (e) {
      this.renderNew(req, res, body, {}, statusOf(e), [errorLine(e)]);
    }
  }

  @Get(':id')
  async view(
    @Req() req: PageRequest,
    @Res() res: FastifyReply,
    @Uuid('id') id: string,
  ): Promise<void> {
    const audit = await this.audits.get(webContext(req), id);
    const notice = {
      created: 'Audit created: the sample is drawn',
      complete: 'Every sampled record has a verdict: you can close the audit',
      closed: 'Audit closed: its results are final',
    }[str(req.query.notice)];
    render(req, res, this.catalogue, 'audit/audit', { ...this.auditLocals(audit), notice });
  }

  // The compact verdict page: the record's facts beside the two questions; saving moves to the next record.
  @Get(':id/records/:crimeId')
  async verdictForm(
    @Req() req: PageRequest,
    @Res() res: FastifyReply,
    @Uuid('id') id: string,
    @Uuid('crimeId') crimeId: string,
  ): Promise<void> {
    await this.renderVerdict(req, res, id, crimeId, {}, {});
  }

  @Post(':id/records/:crimeId')
  @HttpCode(200)
  async verdict(
    @Req() req: PageRequest,
    @Res() res: FastifyReply,
    @Uuid('id') id: string,
    @Uuid('crimeId') crimeId: string,
    @Body() body: FormBody,
  ): Promise<void> {
    const errors: Record<string, string> = {};
    const flag = str(body.flag) as Verdict;
    const classification = str(body.classification) as Verdict;
    if (!VERDICTS.includes(flag)) errors.flag = 'Select whether the online flag is correct';
    if (!VERDICTS.includes(classification))
      errors.classification = 'Select whether the classification is correct';
    if (Object.keys(errors).length > 0)
      return this.renderVerdict(req, res, id, crimeId, body, errors, 400);
    const ctx = webContext(req);
    try {
      await this.audits.recordVerdict(ctx, id, crimeId, {
        flag,
        classification,
        note: str(body.note) || null,
      });
    } catch (e) {
      return this.renderVerdict(req, res, id, crimeId, body, {}, statusOf(e), [errorLine(e)]);
    }
    const audit = await this.audits.get(ctx, id);
    const i = audit.sample.findIndex((s) => s.crimeId === crimeId);
    const next = [...audit.sample.slice(i + 1), ...audit.sample.slice(0, i)].find(
      (s) => s.verdict === null,
    );
    res.redirect(
      next
        ? `/auditing/audits/${id}/records/${next.crimeId}`
        : `/auditing/audits/${id}?notice=complete`,
      303,
    );
  }

  @Get(':id/close')
  async closeForm(
    @Req() req: PageRequest,
    @Res() res: FastifyReply,
    @Uuid('id') id: string,
  ): Promise<void> {
    const audit = await this.audits.get(webContext(req), id);
    render(req, res, this.catalogue, 'audit/close', {
      ...this.auditLocals(audit),
      title: `Close audit of ${forceName(this.catalogue, audit.forceId)}, ${audit.period.label}`,
    });
  }

  @Post(':id/close')
  @HttpCode(200)
  async close(
    @Req() req: PageRequest,
    @Res() res: FastifyReply,
    @Uuid('id') id: string,
  ): Promise<void> {
    try {
      await this.audits.close(webContext(req), id);
      res.redirect(`/auditing/audits/${id}?notice=closed`, 303);
    } catch (e) {
      const audit = await this.audits.get(webContext(req), id);
      res.status(statusOf(e));
      render(req, res, this.catalogue, 'audit/close', {
        ...this.auditLocals(audit),
        title: `Close audit of ${forceName(this.catalogue, audit.forceId)}, ${audit.period.label}`,
        errorList: [errorLine(e)],
      });
    }
  }

  private auditLocals(audit: AuditView) {
    const force = forceName(this.catalogue, audit.forceId);
    const nextPending = audit.sample.find((s) => s.verdict === null);
    return {
      title: `Audit of ${force}, ${audit.period.label}`,
      currentSection: '/auditing/audits',
      audit,
      force,
      sample: audit.sample.map((s) => ({
        ...s,
        href: `/auditing/audits/${audit.id}/records/${s.crimeId}`,
        flagText: s.verdict ? VERDICT_TEXT[s.verdict.flag] : '',
        classText: s.verdict ? VERDICT_TEXT[s.verdict.classification] : '',
      })),
      nextHref: nextPending ? `/auditing/audits/${audit.id}/records/${nextPending.crimeId}` : null,
      sizeText:
        'sampleSize' in audit.sizeBasis
          ? `${audit.sizeBasis.sampleSize} records asked for`
          : `margin of error ${pct(audit.sizeBasis.targetMargin)} asked for`,
      measures: (Object.keys(MEASURES) as (keyof typeof MEASURES)[]).map((m) =>
        this.measure(audit, m, audit.results[m]),
      ),
    };
  }

  private measure(audit: AuditView, key: keyof typeof MEASURES, r: MeasureResult) {
    const rows = r.strata
      .filter((s) => s.accuracy)
      .map((s) => ({ label: s.stratum, ...s.accuracy! }));
    if (r.overall)
      rows.push({
        label: 'Overall (weighted)',
        ...r.overall,
        overall: true,
      } as (typeof rows)[number] & { overall: boolean });
    const chart =
      rows.length === 0
        ? null
        : forestPlot({
            id: `forest-${key}`,
            title: `${MEASURES[key]} accuracy by offence group with 95% Wilson intervals`,
            description: `${MEASURES[key]}: the share of sampled records judged correct, per offence group and overall, each with its 95% interval. The table beside the chart has the figures.`,
            rows,
          });
    return {
      key,
      label: MEASURES[key],
      chart,
      strata: r.strata.map((s) => ({
        ...s,
        accuracyText: s.accuracy ? pct(s.accuracy.estimate) : '[x]',
        interval: s.accuracy ? `${pct(s.accuracy.lower)} to ${pct(s.accuracy.upper)}` : '[x]',
      })),
      overall: r.overall && {
        text: pct(r.overall.estimate),
        interval: `${pct(r.overall.lower)} to ${pct(r.overall.upper)}`,
      },
      wrong: r.estimatedWrong && {
        estimate: Math.round(r.estimatedWrong.estimate),
        lower: Math.round(r.estimatedWrong.lower),
        upper: Math.round(r.estimatedWrong.upper),
      },
      population: audit.populationSize,
    };
  }

  private async renderVerdict(
    req: PageRequest,
    res: FastifyReply,
    id: string,
    crimeId: string,
    values: FormBody,
    errors: Record<string, string>,
    code = 200,
    extra: { text: string; href: string }[] = [],
  ): Promise<void> {
    const ctx = webContext(req);
    const audit = await this.audits.get(ctx, id);
    const index = audit.sample.findIndex((s) => s.crimeId === crimeId);
    if (index < 0)
      throw new DomainError('NOT_FOUND', `crime ${crimeId} is not in the sample of audit ${id}`);
    const sampled = audit.sample[index];
    const crime = await this.crimes.get(ctx, crimeId);
    const v = sampled.verdict;
    res.status(code);
    render(req, res, this.catalogue, 'audit/verdict', {
      title: `Verdict on ${crime.crimeReference} (${index + 1} of ${audit.sample.length})`,
      currentSection: '/auditing/audits',
      audit,
      crime,
      sampled,
      offence: this.catalogue.offence(crime.offenceCode)?.name ?? crime.offenceCode,
      force: forceName(this.catalogue, audit.forceId),
      values: {
        flag: str(values.flag) || v?.flag || '',
        classification: str(values.classification) || v?.classification || '',
        note: values.note !== undefined ? str(values.note) : (v?.note ?? ''),
      },
      errors,
      errorList: [
        ...Object.entries(errors).map(([k, text]) => ({ text, href: `#${k}` })),
        ...extra,
      ],
      verdicts: VERDICTS.map((x) => ({ value: x, text: VERDICT_TEXT[x] })),
      progress: audit.progress,
    });
  }

  private renderNew(
    req: PageRequest,
    res: FastifyReply,
    values: FormBody,
    errors: Record<string, string>,
    code = 200,
    extra: { text: string; href: string }[] = [],
  ): void {
    res.status(code);
    const chosen = ([] as unknown[]).concat(values.offenceGroups ?? []).map(str);
    render(req, res, this.catalogue, 'audit/new', {
      title: 'Create a sample audit',
      currentSection: '/auditing/audits',
      values,
      errors,
      errorList: [
        ...Object.entries(errors).map(([k, text]) => ({
          text,
          href: `#${k === 'offenceGroups' ? 'offenceGroups' : k}`,
        })),
        ...extra,
      ],
      forces: forceItems(req, this.catalogue, str(values.force), 'Choose a force'),
      groups: offenceGroups(this.catalogue).map((g) => ({
        value: g,
        text: g,
        checked: chosen.includes(g),
      })),
    });
  }
}
