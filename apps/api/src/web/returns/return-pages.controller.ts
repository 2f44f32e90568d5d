import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  Post,
  Query,
  Req,
  Res,
  UseGuards,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { pathOf, Roles, WebPage } from '#libs/auth';
import { Catalogue } from '#libs/catalogue';
import {
  CrimeBulkService,
  CrimeQueryService,
  type BulkItemInput,
  type CrimeView,
} from '#libs/crimes';
import { DomainError } from '#libs/persistence';
import { formatFinancialYear, parseFinancialYear } from '#libs/recording-rules';
import {
  EXPORT_FORMATS,
  ReturnExportService,
  ReturnLifecycleService,
  ReturnRevisionsService,
  type ExportFormat,
  type ReturnFinding,
  type ReturnView,
} from '#libs/returns';
import { forceItems, forceName } from '../audit/audit-pages.js';
import { WebCsrfGuard } from '../web-csrf.js';
import { webContext } from '../web-context.js';
import { render, type ErrorItem, type PageRequest } from '../web-page.js';
import { changeIndex, stateTag } from './return-view.js';

const READERS = ['registrar', 'force_crime_registrar', 'statistician', 'auditor'] as const;
type FormBody = Record<string, unknown>;
const str = (v: unknown): string => (typeof v === 'string' ? v.trim() : '');
const RESOLVE_LIMIT = 500; // CrimeBulkService's BULK_MAX_ITEMS: one page resolves at most one bulk request

// The force annual return in the browser (issue 16 §1): thin views over the returns library's lifecycle,
// revisions and export services and the crimes library's bulk service, the same ones the API calls.
@ApiExcludeController()
@Controller('annual-returns')
@WebPage()
@UseGuards(WebCsrfGuard)
export class ReturnPagesController {
  constructor(
    private readonly catalogue: Catalogue,
    private readonly lifecycle: ReturnLifecycleService,
    private readonly revisions: ReturnRevisionsService,
    private readonly exports: ReturnExportService,
    private readonly query: CrimeQueryService,
    private readonly bulk: CrimeBulkService,
  ) {}

  // The picker: a force of yours and a year; a GET form, so the chosen return has an address to bookmark.
  @Get()
  @Roles(...READERS)
  picker(
    @Req() req: PageRequest,
    @Res() res: FastifyReply,
    @Query('force') force?: string,
    @Query('year') year?: string,
  ): void {
    const errors: Record<string, string> = {};
    if (force !== undefined || year !== undefined) {
      if (!str(force)) errors.force = 'Select a force';
      try {
        parseFinancialYear(str(year));
      } catch {
        errors.year = 'Select a financial year';
      }
      if (Object.keys(errors).length === 0)
        return void res.redirect(
          `/annual-returns/${encodeURIComponent(str(force))}/${str(year)}`,
          303,
        );
      res.status(400);
    }
    render(req, res, this.catalogue, 'returns/picker', {
      title: 'Annual returns',
      errors,
      errorList: Object.entries(errors).map(([k, text]) => ({ text, href: `#${k}` })),
      forces: forceItems(req, this.catalogue, str(force)),
      years: yearOptions(str(year)),
    });
  }

  @Get(':force/:year')
  @Roles(...READERS)
  async view(
    @Req() req: PageRequest,
    @Res() res: FastifyReply,
    @Param('force') force: string,
    @Param('year') yearText: string,
    @Query('notice') notice?: string,
  ): Promise<void> {
    const year = parseYear(yearText);
    const ctx = webContext(req);
    // One computation of the live tables for both the view and the return rules' results.
    const { view: ret, validation } = await this.lifecycle.viewWithValidation(ctx, force, year);
    const list = await this.revisions.list(ctx, force, year);
    const revisions = list.revisions.map((r, i) => ({
      ...r,
      diffHref:
        i > 0 ? `${base(force, ret.year)}/revisions/${r.revision}/diff/${r.revision - 1}` : null,
    }));
    render(req, res, this.catalogue, 'returns/view', {
      title: `Annual return ${ret.year}`,
      ret,
      roles: req.actor!.roles,
      force: forceName(this.catalogue, force),
      base: base(force, ret.year),
      state: stateTag(ret.state),
      findings: validation.findings,
      recordsWithheld: validation.recordsWithheld,
      ok: validation.ok,
      unknownFlagDrafts: validation.findings.find((f) => f.code === 'CF-RET-002')?.recordCount ?? 0,
      revisions: revisions.reverse(),
      actions: this.actionLinks(ret, validation.ok),
      formats: EXPORT_FORMATS,
      tables: ret.draft,
      tablesCaption: 'live, computed now',
      notice: notice ? noticeText(notice) : undefined,
    });
  }

  @Get(':force/:year/download/:format')
  @Roles(...READERS)
  async download(
    @Req() req: PageRequest,
    @Res() res: FastifyReply,
    @Param('force') force: string,
    @Param('year') yearText: string,
    @Param('format') format: string,
    @Query('revision') revision?: string,
  ): Promise<void> {
    if (!(EXPORT_FORMATS as readonly string[]).includes(format))
      throw new DomainError('NOT_FOUND', `no download in format ${format}`);
    const rev = revision ? Number(revision) : undefined;
    if (rev !== undefined && !(Number.isInteger(rev) && rev > 0))
      throw new DomainError('INVALID_INPUT', 'revision is a whole number from 1');
    const file = await this.exports.export(webContext(req), force, parseYear(yearText), {
      format: format as ExportFormat,
      revision: rev,
    });
    res.header('content-type', file.contentType);
    res.header('content-disposition', `attachment; filename="${file.fileName}"`);
    res.send(file.body);
  }

  // Bulk resolution of the drafts whose online flag is still unknown (CF-RET-002), through the bulk service.
  @Get(':force/:year/resolve')
  @Roles('force_crime_registrar')
  async resolveForm(
    @Req() req: PageRequest,
    @Res() res: FastifyReply,
    @Param('force') force: string,
    @Param('year') yearText: string,
  ): Promise<void> {
    const year = parseYear(yearText);
    await this.renderResolve(req, res, force, year, {}, []);
  }

  @Post(':force/:year/resolve')
  @Roles('force_crime_registrar')
  @HttpCode(200)
  async resolve(
    @Req() req: PageRequest,
    @Res() res: FastifyReply,
    @Param('force') force: string,
    @Param('year') yearText: string,
    @Body() body: FormBody,
  ): Promise<void> {
    const year = parseYear(yearText);
    const ids = ([] as unknown[])
      .concat(body.ids ?? [])
      .map(str)
      .filter(Boolean);
    const flag = str(body.onlineFlag);
    const reason = str(body.reason);
    const errors: Record<string, string> = {};
    if (ids.length === 0) errors.ids = 'Select the records to resolve';
    if (flag !== 'yes' && flag !== 'no')
      errors.onlineFlag = 'Select whether these crimes were committed online';
    if (flag === 'yes' && !str(body.onlineMethod))
      errors.onlineMethod = 'Say how the crimes were committed online';
    if (!reason) errors.reason = 'Enter why the flag is now known';
    if (Object.keys(errors).length > 0)
      return this.renderResolve(req, res, force, year, body, errorItems(errors), errors, 400);
    const items: BulkItemInput[] = ids.map((id) => ({
      id,
      version: Number(str(body[`version-${id}`])),
      reason,
      confirm: true,
      changes:
        flag === 'yes'
          ? { onlineFlag: 'yes', onlineMethod: str(body.onlineMethod) }
          : { onlineFlag: 'no' },
    }));
    try {
      const result = await this.bulk.resolve(webContext(req), 'all_or_nothing', items);
      res.redirect(`${base(force, formatFinancialYear(year))}?notice=resolved-${result.done}`, 303);
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      const results =
        (
          e.details as
            | {
                results?: {
                  id: string;
                  outcome: string;
                  error?: { code: string; message: string };
                }[];
              }
            | undefined
        )?.results ?? [];
      const refused = results
        .filter((r) => r.outcome === 'failed')
        .map((r) => ({
          text: `${r.id}: ${r.error?.code ?? ''} ${r.error?.message ?? ''}`,
          href: `#record-${r.id}`,
        }));
      await this.renderResolve(
        req,
        res,
        force,
        year,
        body,
        [{ text: `${e.code}: ${e.message}`, href: '#ids' }, ...refused],
        {},
        statusOf(e),
      );
    }
  }

  // Submission: a confirmation page with the sign-off name, then the lifecycle's submit.
  @Get(':force/:year/submit')
  @Roles('force_crime_registrar')
  async submitForm(
    @Req() req: PageRequest,
    @Res() res: FastifyReply,
    @Param('force') force: string,
    @Param('year') yearText: string,
  ): Promise<void> {
    const ret = await this.lifecycle.view(webContext(req), force, parseYear(yearText));
    this.renderDecision(req, res, ret, 'submit', { signedOffName: req.actor!.displayName }, []);
  }

  @Post(':force/:year/submit')
  @Roles('force_crime_registrar')
  @HttpCode(200)
  async submit(
    @Req() req: PageRequest,
    @Res() res: FastifyReply,
    @Param('force') force: string,
    @Param('year') yearText: string,
    @Body() body: FormBody,
  ): Promise<void> {
    const year = parseYear(yearText);
    const signedOffName = str(body.signedOffName);
    const reason = str(body.reason);
    // A correction of an accepted or published (locked) return needs its reason: the service asks for one on
    // a locked return (the published figures change); the page also asks on an accepted one, which the
    // statistics team already counted.
    const correction = str(body.correction) === 'yes';
    if (!signedOffName || (correction && !reason)) {
      const ret = await this.lifecycle.view(webContext(req), force, year);
      return this.renderDecision(
        req,
        res,
        ret,
        'submit',
        body,
        [
          ...(signedOffName
            ? []
            : [
                {
                  text: 'Enter the name of the person signing off the return',
                  href: '#signedOffName',
                },
              ]),
          ...(correction && !reason
            ? [{ text: 'Enter the reason for the correction', href: '#reason' }]
            : []),
        ],
        400,
      );
    }
    try {
      const r = await this.lifecycle.submit(webContext(req), force, year, {
        version: Number(str(body.version)),
        signedOffName,
        reason: reason || undefined,
      });
      const notice = correction ? 'revised' : 'submitted';
      res.redirect(`${base(force, r.year)}?notice=${notice}-${r.currentRevision}`, 303);
    } catch (e) {
      const ret = await this.lifecycle.view(webContext(req), force, year);
      this.renderDecision(req, res, ret, 'submit', body, failure(e, ret), statusOf(e));
    }
  }

  // The statistician's decisions on a submitted revision: accept, or return with the reasons.
  @Get([':force/:year/accept', ':force/:year/return'])
  @Roles('statistician')
  async decisionForm(
    @Req() req: PageRequest,
    @Res() res: FastifyReply,
    @Param('force') force: string,
    @Param('year') yearText: string,
  ): Promise<void> {
    const decision = decisionOf(req);
    const ret = await this.lifecycle.view(webContext(req), force, parseYear(yearText));
    this.renderDecision(req, res, ret, decision, {}, []);
  }

  @Post([':force/:year/accept', ':force/:year/return'])
  @Roles('statistician')
  @HttpCode(200)
  async decide(
    @Req() req: PageRequest,
    @Res() res: FastifyReply,
    @Param('force') force: string,
    @Param('year') yearText: string,
    @Body() body: FormBody,
  ): Promise<void> {
    const decision = decisionOf(req);
    const year = parseYear(yearText);
    const reason = str(body.reason);
    const version = Number(str(body.version));
    if (decision === 'return' && !reason) {
      const ret = await this.lifecycle.view(webContext(req), force, year);
      return this.renderDecision(
        req,
        res,
        ret,
        decision,
        body,
        [{ text: 'Enter why the return goes back to the force', href: '#reason' }],
        400,
      );
    }
    try {
      const r =
        decision === 'accept'
          ? await this.lifecycle.accept(webContext(req), force, year, {
              version,
              reason: reason || undefined,
            })
          : await this.lifecycle.returnToForce(webContext(req), force, year, { version, reason });
      res.redirect(
        `${base(force, r.year)}?notice=${decision === 'accept' ? 'accepted' : 'returned'}`,
        303,
      );
    } catch (e) {
      const ret = await this.lifecycle.view(webContext(req), force, year);
      this.renderDecision(req, res, ret, decision, body, failure(e, ret), statusOf(e));
    }
  }

  // Two revisions side by side: the newer one's tables with every changed cell marked old → new.
  @Get(':force/:year/revisions/:a/diff/:b')
  @Roles(...READERS)
  async diff(
    @Req() req: PageRequest,
    @Res() res: FastifyReply,
    @Param('force') force: string,
    @Param('year') yearText: string,
    @Param('a') a: string,
    @Param('b') b: string,
  ): Promise<void> {
    const year = parseYear(yearText);
    const [to, from] = [revisionNumber(a), revisionNumber(b)];
    const ctx = webContext(req);
    const d = await this.revisions.diff(ctx, force, year, to, from);
    const rev = await this.revisions.get(ctx, force, year, to);
    render(req, res, this.catalogue, 'returns/diff', {
      title: `Revision ${to} against revision ${from}`,
      d,
      force: forceName(this.catalogue, force),
      base: base(force, d.year),
      tables: rev.tables,
      changed: changeIndex(d.changes),
      tablesCaption: `revision ${to}`,
    });
  }

  private async renderResolve(
    req: PageRequest,
    res: FastifyReply,
    force: string,
    year: number,
    values: FormBody,
    errorList: ErrorItem[],
    errors: Record<string, string> = {},
    code = 200,
  ): Promise<void> {
    const page = await this.query.list(webContext(req), {
      forceId: force,
      financialYear: year,
      onlineFlag: 'unknown',
      status: 'draft',
      limit: RESOLVE_LIMIT,
    });
    const chosen =
      values.ids === undefined ? null : new Set(([] as unknown[]).concat(values.ids).map(str));
    res.status(code);
    render(req, res, this.catalogue, 'returns/resolve', {
      title: 'Resolve drafts with an unknown online flag',
      force: forceName(this.catalogue, force),
      base: base(force, formatFinancialYear(year)),
      year: formatFinancialYear(year),
      records: page.items.map((c: CrimeView) => ({
        ...c,
        checked: chosen ? chosen.has(c.id) : true,
      })),
      more: page.nextCursor !== null,
      limit: RESOLVE_LIMIT,
      values,
      errors,
      errorList,
    });
  }

  private renderDecision(
    req: PageRequest,
    res: FastifyReply,
    ret: ReturnView,
    decision: 'submit' | 'accept' | 'return',
    values: FormBody,
    errorList: ErrorItem[],
    code = 200,
  ): void {
    res.status(code);
    const resubmit = decision === 'submit' && ret.currentRevision > 0;
    const correction =
      decision === 'submit' && (ret.state === 'accepted' || ret.state === 'locked');
    const titles = {
      submit:
        ret.state === 'locked'
          ? 'Submit a revised return'
          : resubmit
            ? 'Resubmit the return'
            : 'Submit the return',
      accept: 'Accept the return',
      return: 'Return to the force',
    };
    render(req, res, this.catalogue, 'returns/decision', {
      title: titles[decision],
      decision,
      correction,
      published: ret.state === 'locked',
      ret,
      force: forceName(this.catalogue, ret.forceId),
      base: base(ret.forceId, ret.year),
      values,
      errorList,
      state: stateTag(ret.state),
      counted: ret.draft.tableA.rows.at(-1)?.total ?? 0,
      allowed:
        ret.actions.includes(decision) ||
        (decision === 'submit' &&
          (ret.actions.includes('resubmit') || ret.actions.includes('revise'))),
    });
  }

  // Submission is offered only while the return rules pass (the service would refuse it anyway, with these findings).
  private actionLinks(
    ret: ReturnView,
    rulesPass: boolean,
  ): { href: string; text: string; secondary: boolean }[] {
    const b = base(ret.forceId, ret.year);
    return ret.actions
      .filter((a) => rulesPass || (a !== 'submit' && a !== 'resubmit' && a !== 'revise'))
      .map(
        (a) =>
          ({
            submit: { href: `${b}/submit`, text: 'Submit the return', secondary: false },
            revise: { href: `${b}/submit`, text: 'Submit a revised return', secondary: false },
            resubmit: { href: `${b}/submit`, text: 'Resubmit the return', secondary: false },
            accept: { href: `${b}/accept`, text: 'Accept', secondary: false },
            return: { href: `${b}/return`, text: 'Return to the force', secondary: true },
          })[a],
      );
  }
}

const NOTICES: Record<string, string> = {
  accepted: 'Return accepted',
  returned: 'Return sent back to the force with your reasons',
};
function noticeText(key: string): string | undefined {
  const m = /^(resolved|submitted|revised)-(\d+)$/.exec(key);
  if (m?.[1] === 'resolved')
    return `${m[2]} ${m[2] === '1' ? 'draft' : 'drafts'} resolved and confirmed`;
  if (m?.[1] === 'submitted') return `Revision ${m[2]} submitted`;
  if (m?.[1] === 'revised')
    return `Revision ${m[2]} submitted as a correction, with your reason, for the statistics team`;
  return NOTICES[key];
}

export function base(force: string, year: string): string {
  return `/annual-returns/${encodeURIComponent(force)}/${year}`;
}

function parseYear(text: string): number {
  try {
    return parseFinancialYear(text);
  } catch (e) {
    throw new DomainError(
      'INVALID_INPUT',
      e instanceof Error ? e.message : 'invalid financial year',
    );
  }
}

function decisionOf(req: PageRequest): 'accept' | 'return' {
  return pathOf(req).endsWith('/accept') ? 'accept' : 'return';
}

function revisionNumber(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1)
    throw new DomainError('INVALID_INPUT', 'a revision is a whole number from 1');
  return n;
}

// Financial years the flag has been collected (from 2015-16) to the current one, newest first.
function yearOptions(selected: string): { value: string; text: string; selected: boolean }[] {
  const now = new Date();
  const current = now.getUTCMonth() >= 3 ? now.getUTCFullYear() : now.getUTCFullYear() - 1;
  const out = [];
  for (let y = current; y >= 2015; y--)
    out.push({
      value: formatFinancialYear(y),
      text: formatFinancialYear(y),
      selected: formatFinancialYear(y) === selected,
    });
  return out;
}

function errorItems(errors: Record<string, string>): ErrorItem[] {
  return Object.entries(errors).map(([k, text]) => ({ text, href: `#${k}` }));
}

// A refused transition as the page shows it: the return rules' findings each with its code, a stale version
// as a plain instruction (someone else moved the return: here is where it stands now), other codes as one line.
function failure(e: unknown, now: ReturnView): ErrorItem[] {
  if (!(e instanceof DomainError)) throw e;
  if (e.code === 'VERSION_CONFLICT') {
    return [
      {
        text: `Someone else changed this return while you had the page open: it is now ${now.state} (version ${now.version}). Check it below, then try again.`,
        href: '#main-content',
      },
    ];
  }
  if (e.code === 'RULE_VIOLATION') {
    const findings = (e.details as { findings?: ReturnFinding[] } | undefined)?.findings ?? [];
    return findings.map((f) => ({
      text: `${f.code}: ${f.message} (${f.recordCount} ${f.recordCount === 1 ? 'record' : 'records'})`,
      href: '#main-content',
    }));
  }
  return [{ text: `${e.code}: ${e.message}`, href: '#main-content' }];
}

function statusOf(e: unknown): number {
  if (!(e instanceof DomainError)) return 500;
  return (
    {
      RULE_VIOLATION: 422,
      VERSION_CONFLICT: 409,
      INVALID_TRANSITION: 409,
      FORBIDDEN_SCOPE: 403,
      NOT_FOUND: 404,
      INVALID_INPUT: 400,
    }[e.code as string] ?? 400
  );
}
