import { Controller, Get, HttpCode, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import {
  ACCESS_ACTIONS,
  AccessLogService,
  type AccessAction,
  type AccessLogView,
  type ChainVerification,
} from '#libs/access-log';
import { canAccessForce, Roles, UsersService, WebPage } from '#libs/auth';
import { Catalogue } from '#libs/catalogue';
import { CrimeQueryService } from '#libs/crimes';
import { WebCsrfGuard } from '../web-csrf.js';
import { render, type ErrorItem, type PageRequest } from '../web-page.js';
import { webContext } from '../web-context.js';
import { forceItems, forceName, str } from './audit-pages.js';

// The access log (issue 17 §5): search by record reference, user, force, action and time; the entries with purpose
// and the records they touched; the hash chain verified on demand. Over AccessLogService, as GET /access-log.
@ApiExcludeController()
@Controller('auditing/access-log')
@WebPage()
@UseGuards(WebCsrfGuard)
@Roles('auditor')
export class AccessLogPageController {
  constructor(
    private readonly catalogue: Catalogue,
    private readonly log: AccessLogService,
    private readonly users: UsersService,
    private readonly crimes: CrimeQueryService,
  ) {}

  @Get()
  async search(
    @Req() req: PageRequest,
    @Res() res: FastifyReply,
    @Query() q: Record<string, string>,
  ): Promise<void> {
    await this.page(req, res, q, null);
  }

  // Verifying reads the whole chain (hashes only, no record data), so it is a POST the auditor asks for.
  @Post('verify')
  @HttpCode(200)
  async verify(@Req() req: PageRequest, @Res() res: FastifyReply): Promise<void> {
    const result = await this.log.verify();
    await this.page(req, res, {}, result);
  }

  private async page(
    req: PageRequest,
    res: FastifyReply,
    q: Record<string, string>,
    verification: ChainVerification | null,
  ): Promise<void> {
    const actor = req.actor!;
    const filters = {
      reference: str(q.reference),
      user: str(q.user),
      force: str(q.force),
      action: str(q.action),
      from: str(q.from),
      to: str(q.to),
    };
    const errors: Record<string, string> = {};
    if (filters.force && !canAccessForce(actor, filters.force))
      errors.force = 'You do not audit this force';
    if (filters.action && !(ACCESS_ACTIONS as readonly string[]).includes(filters.action))
      errors.action = 'Select an action from the list';
    const date = (v: string, field: string, end: boolean): Date | undefined => {
      if (!v) return undefined;
      if (!/^\d{4}-\d{2}-\d{2}$/.test(v) || Number.isNaN(Date.parse(v))) {
        errors[field] = 'Enter a date like 2026-12-05';
        return undefined;
      }
      return new Date(Date.parse(`${v}T00:00:00Z`) + (end ? 86_400_000 : 0));
    };
    const from = date(filters.from, 'from', false);
    const to = date(filters.to, 'to', true);
    let userId: string | undefined;
    if (filters.user) {
      // The log records the username (what an investigator searches by); an unknown one is a typo, said so.
      userId = (await this.users.byUsername(filters.user))?.username;
      if (!userId) errors.user = 'No user has this username';
    }
    // A reference names records in the auditor's forces (the lookup itself is logged, as any read).
    let recordIds: string[] = [];
    if (filters.reference && !errors.force) {
      const found = await this.crimes.list(webContext(req), {
        reference: filters.reference,
        forceId: filters.force || undefined,
        limit: 10,
      });
      recordIds = found.items.map((c) => c.id);
      if (recordIds.length === 0)
        errors.reference = 'No record in your forces has this crime reference';
    }
    let entries: AccessLogView[] = [];
    const searched = Object.values(filters).some(Boolean);
    if (searched && Object.keys(errors).length === 0) {
      const base = {
        userId,
        forceId: filters.force || undefined,
        action: (filters.action || undefined) as AccessAction | undefined,
        from,
        to,
        limit: 200,
      };
      const found = await this.log.search(actor, { ...base, recordIds });
      entries = found.sort((a, b) => Number(BigInt(b.seq) - BigInt(a.seq)));
    }
    const errorList: ErrorItem[] = Object.entries(errors).map(([k, text]) => ({
      text,
      href: `#${k}`,
    }));
    render(req, res, this.catalogue, 'audit/access-log', {
      title: 'Access log',
      currentSection: '/auditing/access-log',
      filters,
      errors,
      errorList,
      searched,
      verification,
      forces: forceItems(req, this.catalogue, filters.force, 'All your forces'),
      actions: [
        { value: '', text: 'Any' },
        ...ACCESS_ACTIONS.map((a) => ({ value: a, text: a, selected: a === filters.action })),
      ],
      entries: entries.map((e) => ({
        ...e,
        user: e.userId,
        forces: e.forceIds.map((f) => forceName(this.catalogue, f)).join(', ') || 'all forces',
        records: e.recordIds.length,
        touchesSearched: recordIds.length > 0 && e.recordIds.some((r) => recordIds.includes(r)),
      })),
    });
  }
}
