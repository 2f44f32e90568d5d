import {
  Body,
  Controller,
  Get,
  HttpCode,
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
  REVIEW_REASONS,
  REVIEW_STATUSES,
  ReviewCorrectionService,
  ReviewQueueService,
  type ReviewDecision,
  type ReviewItemView,
  type ReviewReason,
  type ReviewStatus,
} from '#libs/auditing';
import { CrimeQueryService } from '#libs/crimes';
import { DomainError } from '#libs/persistence';
import type { OnlineFlag } from '#libs/recording-rules';
import { USERNAME_PATTERN } from '../../http/validation.js';
import { timelineItems } from '../timeline.js';
import { WebCsrfGuard } from '../web-csrf.js';
import { render, type ErrorItem, type PageRequest } from '../web-page.js';
import { webContext } from '../web-context.js';
import {
  errorLine,
  forceItems,
  forceName,
  sendCsv,
  statusOf,
  str,
  yearField,
} from './audit-pages.js';

const Id = () => Param('id', new ParseUUIDPipe({ version: undefined }));
type FormBody = Record<string, unknown>;
const READERS = ['auditor', 'registrar', 'force_crime_registrar'] as const;
export const REASON_TEXT: Record<ReviewReason, string> = {
  online_without_method: 'CF-FLAG-002: flagged online with no method',
  usually_online_not_flagged: 'CF-FLAG-003: usually online, not flagged',
  flag_changed_late: 'Flag changed late',
  added_by_auditor: 'Added by an auditor',
};
export const STATUS_TEXT: Record<ReviewStatus, string> = {
  open: 'Open',
  confirmed_correct: 'Confirmed correct',
  corrected: 'Corrected',
  referred: 'Referred',
};

// The review queue (issue 17 §3): auditors refresh it from the rules, add records, and give a verdict on each item;
// the force's registrars correct the record through it (the ordinary amendment path: rules, history kept).
@ApiExcludeController()
@Controller('auditing/review')
@WebPage()
@UseGuards(WebCsrfGuard)
export class ReviewQueuePageController {
  constructor(
    private readonly catalogue: Catalogue,
    private readonly queue: ReviewQueueService,
    private readonly correction: ReviewCorrectionService,
    private readonly crimes: CrimeQueryService,
  ) {}

  @Get()
  @Roles(...READERS)
  async listPage(
    @Req() req: PageRequest,
    @Res() res: FastifyReply,
    @Query() q: Record<string, string>,
  ): Promise<void> {
    await this.list(req, res, q);
  }

  private async list(
    req: PageRequest,
    res: FastifyReply,
    q: Record<string, string>,
    extra: { errorList?: ErrorItem[]; notice?: string; code?: number } = {},
  ): Promise<void> {
    const filters = {
      force: str(q.force),
      reason: str(q.reason),
      status: str(q.status),
      year: str(q.year),
      addedBy: str(q.addedBy),
    };
    const errors: Record<string, string> = {};
    const { year, error: yearError } = yearField(filters.year);
    if (yearError) errors.year = yearError;
    const addedBy = addedByField(filters.addedBy);
    if (addedBy.error) errors.addedBy = addedBy.error;
    const error = yearError ?? addedBy.error;
    const reason = (REVIEW_REASONS as readonly string[]).includes(filters.reason)
      ? (filters.reason as ReviewReason)
      : undefined;
    const status = (REVIEW_STATUSES as readonly string[]).includes(filters.status)
      ? (filters.status as ReviewStatus)
      : undefined;
    const filter = {
      forceId: filters.force || undefined,
      reason,
      status,
      year,
      addedBy: addedBy.value,
    };
    let page: { items: ReviewItemView[]; nextCursor: string | null } = {
      items: [],
      nextCursor: null,
    };
    const errorList: ErrorItem[] = [
      ...Object.entries(errors).map(([k, text]) => ({ text, href: `#${k}` })),
      ...(extra.errorList ?? []),
    ];
    if (!error) {
      try {
        page = await this.queue.list(webContext(req), {
          ...filter,
          limit: 50,
          cursor: str(q.cursor) || undefined,
        });
      } catch (e) {
        errorList.push(errorLine(e, '#force'));
      }
    }
    const params = new URLSearchParams(
      Object.entries(filters).filter(([, v]) => v) as [string, string][],
    );
    const csvHref = `/auditing/review/export.csv?${params.toString()}`;
    if (page.nextCursor) params.set('cursor', page.nextCursor);
    res.status(extra.code ?? 200);
    render(req, res, this.catalogue, 'audit/review-queue', {
      title: 'Review queue',
      currentSection: '/auditing/review',
      filters,
      errors,
      errorList,
      notice: extra.notice ?? NOTICES[str(q.notice)],
      auditor: req.actor!.roles.includes('auditor'),
      me: req.actor!.userId,
      items: page.items.map((i) => ({
        ...i,
        force: forceName(this.catalogue, i.forceId),
        reasonText: REASON_TEXT[i.reason],
        statusText: STATUS_TEXT[i.status],
        href: `/auditing/review/${i.id}`,
      })),
      nextUrl: page.nextCursor ? `/auditing/review?${params.toString()}` : null,
      firstPage: !q.cursor,
      csvHref,
      forces: forceItems(req, this.catalogue, filters.force, 'All your forces'),
      reasons: [
        { value: '', text: 'Any' },
        ...REVIEW_REASONS.map((r) => ({
          value: r,
          text: REASON_TEXT[r],
          selected: r === filters.reason,
        })),
      ],
      statuses: [
        { value: '', text: 'Any' },
        ...REVIEW_STATUSES.map((s) => ({
          value: s,
          text: STATUS_TEXT[s],
          selected: s === filters.status,
        })),
      ],
    });
  }

  @Get('export.csv')
  @Roles(...READERS)
  async csv(
    @Req() req: PageRequest,
    @Res() res: FastifyReply,
    @Query() q: Record<string, string>,
  ): Promise<void> {
    const { year } = yearField(q.year);
    const addedBy = addedByField(str(q.addedBy));
    if (addedBy.error) throw new DomainError('INVALID_INPUT', addedBy.error);
    const reason = (REVIEW_REASONS as readonly string[]).includes(str(q.reason))
      ? (str(q.reason) as ReviewReason)
      : undefined;
    const status = (REVIEW_STATUSES as readonly string[]).includes(str(q.status))
      ? (str(q.status) as ReviewStatus)
      : undefined;
    sendCsv(
      res,
      `review-queue-${str(q.force) || 'scope'}.csv`,
      await this.queue.exportCsv(webContext(req), {
        forceId: str(q.force) || undefined,
        reason,
        status,
        year,
        addedBy: addedBy.value,
      }),
    );
  }

  @Post('refresh')
  @Roles('auditor')
  @HttpCode(200)
  async refresh(
    @Req() req: PageRequest,
    @Res() res: FastifyReply,
    @Body() body: FormBody,
  ): Promise<void> {
    const { year, error } = yearField(body.year);
    const force = str(body.force);
    const q = { force, year: str(body.year) };
    if (!year)
      return this.list(req, res, q, {
        errorList: [
          { text: error ?? 'Enter the financial year to refresh', href: '#refresh-year' },
        ],
        code: 400,
      });
    try {
      const r = await this.queue.refresh(webContext(req), { forceId: force || undefined, year });
      return this.list(req, res, q, {
        notice: `Queue refreshed from the rules: ${r.found} records found, ${r.added} new items added`,
      });
    } catch (e) {
      return this.list(req, res, q, {
        errorList: [errorLine(e, '#refresh-force')],
        code: statusOf(e),
      });
    }
  }

  // Add a record by its crime reference (in the auditor's forces), with a note saying why.
  @Post('add')
  @Roles('auditor')
  @HttpCode(200)
  async add(
    @Req() req: PageRequest,
    @Res() res: FastifyReply,
    @Body() body: FormBody,
  ): Promise<void> {
    const reference = str(body.reference);
    const note = str(body.note);
    const problems: ErrorItem[] = [];
    if (!reference)
      problems.push({
        text: 'Enter the crime reference of the record to add',
        href: '#add-reference',
      });
    if (!note) problems.push({ text: 'Enter why the record needs review', href: '#add-note' });
    if (problems.length) return this.list(req, res, {}, { errorList: problems, code: 400 });
    const ctx = webContext(req);
    try {
      const found = await this.crimes.list(ctx, { reference, limit: 2 });
      if (found.items.length === 0)
        return this.list(
          req,
          res,
          {},
          {
            errorList: [
              { text: 'No record in your forces has this crime reference', href: '#add-reference' },
            ],
            code: 404,
          },
        );
      if (found.items.length > 1)
        return this.list(
          req,
          res,
          {},
          {
            errorList: [
              {
                text: 'Two of your forces use this reference: add it from the record’s force filter',
                href: '#add-reference',
              },
            ],
            code: 409,
          },
        );
      const item = await this.queue.add(ctx, { crimeId: found.items[0].id, note });
      res.redirect(`/auditing/review/${item.id}?notice=added`, 303);
    } catch (e) {
      return this.list(
        req,
        res,
        {},
        { errorList: [errorLine(e, '#add-reference')], code: statusOf(e) },
      );
    }
  }

  @Get(':id')
  @Roles(...READERS)
  async item(@Req() req: PageRequest, @Res() res: FastifyReply, @Id() id: string): Promise<void> {
    await this.renderItem(req, res, id, {}, {});
  }

  @Post(':id/verdict')
  @Roles('auditor')
  @HttpCode(200)
  async verdict(
    @Req() req: PageRequest,
    @Res() res: FastifyReply,
    @Id() id: string,
    @Body() body: FormBody,
  ): Promise<void> {
    const status = str(body.status) as ReviewDecision;
    const note = str(body.note);
    const errors: Record<string, string> = {};
    if (!['open', 'confirmed_correct', 'referred'].includes(status))
      errors.status = 'Select your verdict';
    if (!note) errors.note = 'Enter a note for the force';
    if (Object.keys(errors).length) return this.renderItem(req, res, id, body, errors, 400);
    try {
      await this.queue.review(webContext(req), id, {
        version: Number(str(body.version)),
        status,
        note,
      });
      res.redirect(`/auditing/review/${id}?notice=reviewed`, 303);
    } catch (e) {
      await this.renderItem(req, res, id, body, {}, statusOf(e), [errorLine(e)]);
    }
  }

  @Post(':id/correct')
  @Roles('registrar', 'force_crime_registrar')
  @HttpCode(200)
  async correct(
    @Req() req: PageRequest,
    @Res() res: FastifyReply,
    @Id() id: string,
    @Body() body: FormBody,
  ): Promise<void> {
    const errors: Record<string, string> = {};
    const flag = str(body.onlineFlag);
    const reason = str(body.reason);
    if (!['yes', 'no', 'unknown'].includes(flag)) errors.onlineFlag = 'Select the online flag';
    if (!reason) errors.reason = 'Enter why the record is corrected';
    if (Object.keys(errors).length) return this.renderItem(req, res, id, body, errors, 400);
    const method = str(body.onlineMethod);
    try {
      const acknowledge = ([] as unknown[])
        .concat(body.acknowledge ?? [])
        .map(str)
        .filter(Boolean);
      await this.correction.correct(webContext(req), id, {
        version: Number(str(body.crimeVersion)),
        reason,
        acknowledge,
        changes: {
          onlineFlag: flag as OnlineFlag,
          onlineMethod: flag === 'yes' ? method || null : null,
        },
      });
      res.redirect(`/auditing/review/${id}?notice=corrected`, 303);
    } catch (e) {
      const list =
        e instanceof DomainError && e.code === 'RULE_VIOLATION'
          ? (
              (
                e.details as
                  | { violations?: { code: string; message: string; reference: string }[] }
                  | undefined
              )?.violations ?? []
            ).map((f) => ({
              text: `${f.code}: ${f.message} (${f.reference})`,
              href: '#onlineFlag',
            }))
          : [errorLine(e)];
      await this.renderItem(req, res, id, body, {}, statusOf(e), list);
    }
  }

  private async renderItem(
    req: PageRequest,
    res: FastifyReply,
    id: string,
    values: FormBody,
    errors: Record<string, string>,
    code = 200,
    extra: ErrorItem[] = [],
  ): Promise<void> {
    const ctx = webContext(req);
    const item = await this.queue.get(ctx, id);
    const crime = await this.crimes.get(ctx, item.crimeId);
    const history = await this.crimes.history(ctx, item.crimeId);
    const roles = req.actor!.roles;
    res.status(code);
    render(req, res, this.catalogue, 'audit/review-item', {
      title: `Review of ${item.crime.crimeReference}`,
      currentSection: '/auditing/review',
      item,
      crime,
      timeline: timelineItems(history),
      force: forceName(this.catalogue, item.forceId),
      offence: this.catalogue.offence(crime.offenceCode)?.name ?? crime.offenceCode,
      reasonText: REASON_TEXT[item.reason],
      statusText: STATUS_TEXT[item.status],
      canReview: roles.includes('auditor') && item.status !== 'corrected',
      canCorrect:
        (roles.includes('registrar') || roles.includes('force_crime_registrar')) &&
        ['open', 'referred'].includes(item.status) &&
        (crime.status === 'draft' || crime.status === 'confirmed'),
      values: {
        status: str(values.status) || item.status,
        note: values.note !== undefined ? str(values.note) : '',
        onlineFlag: str(values.onlineFlag) || crime.onlineFlag,
        onlineMethod:
          values.onlineMethod !== undefined ? str(values.onlineMethod) : (crime.onlineMethod ?? ''),
        reason: str(values.reason),
      },
      errors,
      errorList: [
        ...Object.entries(errors).map(([k, text]) => ({ text, href: `#${k}` })),
        ...extra,
      ],
      notice: NOTICES[str(req.query.notice)],
    });
  }
}

// The "added by" filter: a username, or nothing for anyone.
function addedByField(s: string): { value?: string; error?: string } {
  if (!s) return {};
  return USERNAME_PATTERN.test(s)
    ? { value: s }
    : { error: 'Enter a username such as jsmith.derbyshire, or leave it blank for anyone' };
}

const NOTICES: Record<string, string> = {
  added: 'Record added to the review queue',
  reviewed: 'Verdict saved',
  corrected: 'Record corrected: the item is marked corrected',
};
