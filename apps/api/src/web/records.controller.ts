import { forceItems, statusOf } from './audit/audit-pages.js';
import {
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Req,
  Res,
  UseGuards,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Roles, WebPage } from '#libs/auth';
import { Catalogue } from '#libs/catalogue';
import {
  CrimeAmendmentService,
  CrimeQueryService,
  CrimeRecordingService,
  CrimeRemovalService,
  CrimeValidationService,
  type CrimeView,
} from '#libs/crimes';
import { DomainError } from '#libs/persistence';
import {
  RULE_CONTEXT,
  describeRules,
  parseFinancialYear,
  type FindingView,
  type RuleContext,
} from '#libs/recording-rules';
import { factsFromDto } from '../crimes/dto/crime-fields.dto.js';
import {
  errorList,
  formValues,
  parseAmendForm,
  parseCreateForm,
  acknowledged,
  formFacts,
} from './crime-form.js';
import { WebCsrfGuard } from './web-csrf.js';
import { render, type ErrorItem, type PageRequest } from './web-page.js';
import { webContext } from './web-context.js';
import { timelineItems } from './timeline.js';

const READERS = ['registrar', 'force_crime_registrar', 'auditor'] as const;
const WRITERS = ['registrar', 'force_crime_registrar'] as const;
const Id = () => Param('id', new ParseUUIDPipe({ version: undefined }));
type FormBody = Record<string, unknown>;
const str = (v: unknown): string => (typeof v === 'string' ? v.trim() : '');

export const PURPOSES = [
  'Recording and data quality',
  'Preparing the annual return',
  'Audit',
  'Investigation',
  'Responding to a request',
];

// The registrar's pages (issue 15 §3): thin views over the crimes library's services, the same ones the API calls.
// Rule findings and coded errors become a GOV.UK error summary with the rule code, message and reference, each
// linked to the field it concerns.
@ApiExcludeController()
@Controller()
@WebPage()
@UseGuards(WebCsrfGuard)
export class RecordsController {
  constructor(
    private readonly catalogue: Catalogue,
    private readonly query: CrimeQueryService,
    private readonly recording: CrimeRecordingService,
    private readonly amendment: CrimeAmendmentService,
    private readonly removal: CrimeRemovalService,
    private readonly validation: CrimeValidationService,
    @Inject(RULE_CONTEXT) private readonly rules: RuleContext,
  ) {}

  @Get('records')
  @Roles(...READERS)
  async list(
    @Req() req: PageRequest,
    @Res() res: FastifyReply,
    @Query() q: Record<string, string>,
  ): Promise<void> {
    const filters = {
      force: str(q.force),
      year: str(q.year),
      offence: str(q.offence).toUpperCase(),
      flag: str(q.flag),
      status: str(q.status),
      reference: str(q.reference),
      purpose: str(q.purpose),
    };
    const errors: Record<string, string> = {};
    let financialYear: number | undefined;
    if (filters.year) {
      try {
        financialYear = parseFinancialYear(filters.year);
      } catch {
        errors.year = 'Enter a financial year like 2018-19';
      }
    }
    let page: { items: CrimeView[]; nextCursor: string | null } = { items: [], nextCursor: null };
    if (Object.keys(errors).length === 0) {
      try {
        page = await this.query.list(webContext(req), {
          forceId: filters.force || undefined,
          financialYear,
          offenceCode: filters.offence || undefined,
          onlineFlag: (filters.flag || undefined) as CrimeView['onlineFlag'] | undefined,
          status: (filters.status || undefined) as CrimeView['status'] | undefined,
          referencePrefix: filters.reference || undefined,
          limit: 25,
          cursor: str(q.cursor) || undefined,
        });
      } catch (e) {
        if (!(e instanceof DomainError) || !['INVALID_INPUT', 'FORBIDDEN_SCOPE'].includes(e.code))
          throw e;
        errors[e.code === 'FORBIDDEN_SCOPE' ? 'force' : 'reference'] = e.message;
      }
    }
    const params = new URLSearchParams(
      Object.entries(filters).filter(([, v]) => v) as [string, string][],
    );
    if (page.nextCursor) params.set('cursor', page.nextCursor);
    const forces = forceItems(req, this.catalogue, filters.force);
    render(req, res, this.catalogue, 'records/list', {
      title: 'Crime records',
      filters,
      errors,
      errorList: errorList(errors),
      items: page.items.map((c) => this.row(c, filters.purpose)),
      nextUrl: page.nextCursor ? `/records?${params.toString()}` : null,
      firstPage: !q.cursor,
      forces,
      // Every row of one force says nothing the page does not: the column goes, and the online flag and status fit
      // beside the filter without scrolling.
      showForce: forces.length > 1 && !filters.force,
      purposes: PURPOSES,
    });
  }

  // Find by crime reference, from every page: one match opens the record; otherwise the list shows the matches.
  @Get('find')
  @Roles(...READERS)
  async find(
    @Req() req: PageRequest,
    @Res() res: FastifyReply,
    @Query('reference') reference?: string,
  ): Promise<void> {
    const ref = str(reference);
    if (!ref) return void res.redirect('/records', 303);
    if (/^[A-Za-z0-9][A-Za-z0-9/_.:-]{0,63}$/.test(ref)) {
      const exact = await this.query.list(webContext(req), { reference: ref, limit: 2 });
      if (exact.items.length === 1) return void res.redirect(`/records/${exact.items[0].id}`, 303);
    }
    res.redirect(`/records?reference=${encodeURIComponent(ref)}`, 303);
  }

  @Get('records/new')
  @Roles(...WRITERS)
  newForm(@Req() req: PageRequest, @Res() res: FastifyReply): void {
    const forces = forceItems(req, this.catalogue, '');
    this.renderForm(req, res, {
      mode: 'new',
      values: { status: 'draft', forceId: forces.length === 1 ? forces[0].value : '' },
      errors: {},
    });
  }

  @Post('records/new')
  @Roles(...WRITERS)
  @HttpCode(200)
  async create(
    @Req() req: PageRequest,
    @Res() res: FastifyReply,
    @Body() body: FormBody,
  ): Promise<void> {
    const { value, errors } = parseCreateForm(body);
    if (Object.keys(errors).length > 0)
      return this.renderForm(req, res, { mode: 'new', values: body, errors }, 400);
    try {
      // As the API's create (crimes.controller.ts): added to the facts' own object, not spread.
      const crime = await this.recording.record(
        webContext(req),
        Object.assign(factsFromDto(value), {
          forceId: value.forceId,
          crimeReference: value.crimeReference,
          offenceCode: value.offenceCode,
          incidentReference: value.incidentReference ?? null,
          status: value.status,
          acknowledge: value.acknowledge,
        }),
      );
      res.redirect(`/records/${crime.id}?notice=recorded`, 303);
    } catch (e) {
      this.renderForm(
        req,
        res,
        { mode: 'new', values: body, errors: {}, ...failure(e) },
        statusOf(e),
      );
    }
  }

  // The form's script asks as fields change (no-script users get the same findings when they submit).
  @Post('records/check')
  @Roles(...WRITERS)
  @HttpCode(200)
  async check(
    @Req() req: PageRequest,
    @Body() body: FormBody,
  ): Promise<{ outcome: string; findings: FindingView[]; missing: string[] }> {
    const errors: Record<string, string> = {};
    const facts = formFacts(body, errors);
    const given = Object.fromEntries(
      Object.entries(facts).filter(([k, v]) => v !== undefined && !errors[k]),
    );
    const crimeId = str(body.crimeId);
    if (crimeId) {
      if (!/^[0-9a-f-]{36}$/i.test(crimeId))
        throw new DomainError('INVALID_INPUT', 'crimeId is not valid');
      return this.validation.amendment(webContext(req), crimeId, {
        changes: factsFromDto(given),
        acknowledge: acknowledged(body),
      });
    }
    return this.validation.candidate(webContext(req), {
      ...factsFromDto(given),
      forceId: str(body.forceId) || undefined,
      crimeReference: str(body.crimeReference) || undefined,
      offenceCode: str(body.offenceCode).toUpperCase() || undefined,
      incidentReference: str(body.incidentReference) || undefined,
      status: (str(body.status) || 'draft') as 'draft' | 'confirmed',
      acknowledge: acknowledged(body),
    });
  }

  @Get('records/:id')
  @Roles(...READERS)
  async view(
    @Req() req: PageRequest,
    @Res() res: FastifyReply,
    @Id() id: string,
    @Query('notice') notice?: string,
  ): Promise<void> {
    const ctx = webContext(req);
    const crime = await this.query.get(ctx, id);
    const history = await this.query.history(ctx, id);
    const roles = req.actor!.roles;
    const live = crime.status === 'draft' || crime.status === 'confirmed';
    const writer = roles.includes('registrar') || roles.includes('force_crime_registrar');
    const fcr = roles.includes('force_crime_registrar');
    const actions = [
      writer && live && { href: `/records/${id}/amend`, text: 'Amend' },
      writer && live && { href: `/records/${id}/reclassify`, text: 'Reclassify' },
      fcr && crime.status === 'draft' && { href: `/records/${id}/confirm`, text: 'Confirm' },
      fcr && live && { href: `/records/${id}/cancel`, text: 'Cancel' },
      fcr && live && { href: `/records/${id}/transfer`, text: 'Transfer' },
    ].filter(Boolean);
    render(req, res, this.catalogue, 'records/view', {
      title: `Crime ${crime.crimeReference}`,
      crime,
      actions,
      timeline: timelineItems(history),
      force: this.catalogue.force(crime.forceId)?.name ?? crime.forceId,
      offence: this.catalogue.offence(crime.offenceCode)?.name ?? crime.offenceCode,
      warnings: crime.ruleWarnings.map((c) => ({ code: c, message: this.ruleMessage(c) })),
      notice: notice ? NOTICES[notice] : undefined,
    });
  }

  @Get('records/:id/amend')
  @Roles(...WRITERS)
  async amendForm(
    @Req() req: PageRequest,
    @Res() res: FastifyReply,
    @Id() id: string,
  ): Promise<void> {
    const crime = await this.query.get(webContext(req), id);
    this.renderForm(req, res, {
      mode: 'amend',
      crime,
      values: formValues({ ...crime }),
      errors: {},
    });
  }

  @Post('records/:id/amend')
  @Roles(...WRITERS)
  @HttpCode(200)
  async amend(
    @Req() req: PageRequest,
    @Res() res: FastifyReply,
    @Id() id: string,
    @Body() body: FormBody,
  ): Promise<void> {
    const { value, errors } = parseAmendForm(body);
    const crime = await this.query.get(webContext(req), id);
    if (Object.keys(errors).length > 0)
      return this.renderForm(req, res, { mode: 'amend', crime, values: body, errors }, 400);
    try {
      const { version, reason, acknowledge, ...fields } = value;
      await this.amendment.amend(webContext(req), id, {
        version,
        reason,
        changes: factsFromDto(fields),
        acknowledge: acknowledge ?? [],
      });
      res.redirect(`/records/${id}?notice=amended`, 303);
    } catch (e) {
      this.renderForm(
        req,
        res,
        { mode: 'amend', crime, values: body, errors: {}, ...failure(e) },
        statusOf(e),
      );
    }
  }

  @Get('records/:id/:action')
  @Roles(...WRITERS)
  async actionForm(
    @Req() req: PageRequest,
    @Res() res: FastifyReply,
    @Id() id: string,
    @Param('action') name: string,
  ): Promise<void> {
    const action = asAction(name);
    const crime = await this.query.get(webContext(req), id);
    this.renderAction(req, res, action, crime, {}, {});
  }

  @Post('records/:id/:action')
  @Roles(...WRITERS)
  @HttpCode(200)
  async act(
    @Req() req: PageRequest,
    @Res() res: FastifyReply,
    @Id() id: string,
    @Param('action') name: string,
    @Body() body: FormBody,
  ): Promise<void> {
    const action = asAction(name);
    const ctx = webContext(req);
    const crime = await this.query.get(ctx, id);
    const version = Number(str(body.version));
    const errors: Record<string, string> = {};
    const need = (field: string, message: string) => {
      if (!str(body[field])) errors[field] = message;
    };
    if (action === 'reclassify') {
      need('offenceCode', 'Enter the new offence code');
      need('reason', 'Enter why the classification changes');
    }
    if (action === 'cancel') {
      need('category', 'Select the cancellation category');
      need('justification', 'Enter the additional verifiable information');
    }
    if (action === 'transfer') {
      need('toForceId', 'Select the force the crime belongs to');
      need('justification', 'Enter why the crime belongs to the other force');
    }
    if (Object.keys(errors).length > 0)
      return this.renderAction(
        req,
        res,
        action,
        crime,
        body,
        { errors, errorList: errorList(errors) },
        400,
      );
    try {
      const acknowledge = acknowledged(body);
      if (action === 'confirm') await this.recording.confirm(ctx, id, { version, acknowledge });
      if (action === 'reclassify')
        await this.amendment.reclassify(ctx, id, {
          version,
          offenceCode: str(body.offenceCode).toUpperCase(),
          reason: str(body.reason),
          acknowledge,
        });
      if (action === 'cancel')
        await this.removal.cancel(ctx, id, {
          version,
          category: str(body.category),
          justification: str(body.justification),
          toForceId: null,
        });
      if (action === 'transfer')
        await this.removal.transfer(ctx, id, {
          version,
          category: 'C1',
          justification: str(body.justification),
          toForceId: str(body.toForceId),
        });
      res.redirect(`/records/${id}?notice=${action}`, 303);
    } catch (e) {
      this.renderAction(req, res, action, crime, body, failure(e), statusOf(e));
    }
  }

  private renderForm(
    req: PageRequest,
    res: FastifyReply,
    o: {
      mode: 'new' | 'amend';
      crime?: CrimeView;
      values: FormBody;
      errors: Record<string, string>;
    } & Partial<Failure>,
    code = 200,
  ): void {
    res.status(code);
    render(req, res, this.catalogue, 'records/form', {
      title: o.mode === 'new' ? 'Record a crime' : `Amend crime ${o.crime?.crimeReference ?? ''}`,
      ...o,
      errorList: [...errorList(o.errors), ...(o.errorList ?? [])],
      forces: forceItems(req, this.catalogue, str(o.values.forceId)),
      findings: o.findings ?? [],
      confirmable: (o.findings ?? []).filter((f) => f.severity === 'confirm'),
      acknowledged: acknowledged(o.values),
    });
  }

  private renderAction(
    req: PageRequest,
    res: FastifyReply,
    action: Action,
    crime: CrimeView,
    values: FormBody,
    extra: object,
    code = 200,
  ): void {
    res.status(code);
    const categories = this.rules.config.cancellationCategories
      .filter((c) => c.kind === 'cancel')
      .map((c) => ({ value: c.code, text: `${c.code}: ${c.label}` }));
    render(req, res, this.catalogue, 'records/action', {
      title: `${ACTION_TITLES[action]} crime ${crime.crimeReference}`,
      action,
      crime,
      values,
      errors: {},
      categories,
      forces: this.catalogue
        .forces()
        .filter((f) => f.id !== crime.forceId)
        .map((f) => ({ value: f.id, text: f.name })),
      ...extra,
    });
  }

  private row(c: CrimeView, purpose: string) {
    return {
      ...c,
      force: this.catalogue.force(c.forceId)?.name ?? c.forceId,
      href: `/records/${c.id}${purpose ? `?purpose=${encodeURIComponent(purpose)}` : ''}`,
    };
  }

  private ruleMessage(code: string): string {
    this.messages ??= new Map(describeRules(this.rules.config).map((r) => [r.code, r.message]));
    return this.messages.get(code) ?? code;
  }
  private messages?: Map<string, string>;
}

type Action = 'reclassify' | 'confirm' | 'cancel' | 'transfer';
const ACTION_TITLES: Record<Action, string> = {
  reclassify: 'Reclassify',
  confirm: 'Confirm',
  cancel: 'Cancel',
  transfer: 'Transfer',
};
const NOTICES: Record<string, string> = {
  recorded: 'Crime recorded',
  amended: 'Record amended',
  reclassify: 'Crime reclassified',
  confirm: 'Crime confirmed',
  cancel: 'Crime cancelled',
  transfer: 'Crime transferred',
};

interface Failure {
  errorList: ErrorItem[];
  findings: FindingView[];
}

// A coded error as the page shows it: every rule finding with its code, message and reference, linked to its
// first field; other codes (version conflict, scope) as one line.
function failure(e: unknown): Failure {
  if (!(e instanceof DomainError)) throw e;
  if (e.code === 'RULE_VIOLATION') {
    const d = e.details as { violations?: FindingView[] } | undefined;
    const findings = d?.violations ?? [];
    return {
      findings,
      errorList: findings.map((f) => ({
        text: `${f.code}: ${f.message} (${f.reference})`,
        href: `#${fieldAnchor(f.fields[0])}`,
      })),
    };
  }
  const text =
    e.code === 'VERSION_CONFLICT'
      ? `${e.message}. Someone else changed this record: open it again to see their change.`
      : e.message;
  return { findings: [], errorList: [{ text: `${e.code}: ${text}`, href: '#main-content' }] };
}

function fieldAnchor(field: string | undefined): string {
  if (!field) return 'main-content';
  return ['reportedAt', 'recordedAt', 'offenceFrom', 'offenceTo'].includes(field)
    ? `${field}-day`
    : field;
}

const ACTIONS = new Set<string>(['reclassify', 'confirm', 'cancel', 'transfer']);
function asAction(a: string): Action {
  if (!ACTIONS.has(a)) throw new DomainError('NOT_FOUND', `no page ${a}`);
  return a as Action;
}
