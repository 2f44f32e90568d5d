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
import { CrimeQueryService, ReportedIncidentService } from '#libs/crimes';
import { errorLine, forceItems, forceName, statusOf, str } from './audit/audit-pages.js';
import { WebCsrfGuard } from './web-csrf.js';
import { webContext } from './web-context.js';
import { render, type ErrorItem, type PageRequest } from './web-page.js';

// Rape reports held as N100 (issue 20 §5, domain.md R21), for the force crime registrar: each outstanding one with
// its age, a link to record the crime, and a form to link the crime once recorded (the link is kept).
@ApiExcludeController()
@Controller('n100-reports')
@WebPage()
@UseGuards(WebCsrfGuard)
export class N100PageController {
  constructor(
    private readonly catalogue: Catalogue,
    private readonly incidents: ReportedIncidentService,
    private readonly crimes: CrimeQueryService,
  ) {}

  @Get()
  @Roles('force_crime_registrar', 'auditor')
  async list(
    @Req() req: PageRequest,
    @Res() res: FastifyReply,
    @Query() q: Record<string, string>,
  ): Promise<void> {
    await this.show(req, res, str(q.force), str(q.notice));
  }

  // Link by the crime's reference in the N100's force: the registrar knows the reference, not the record id.
  @Post(':id/link')
  @Roles('force_crime_registrar')
  @HttpCode(200)
  async link(
    @Req() req: PageRequest,
    @Res() res: FastifyReply,
    @Param('id', new ParseUUIDPipe({ version: undefined })) id: string,
    @Body() body: Record<string, unknown>,
  ): Promise<void> {
    const reference = str(body.reference);
    const force = str(body.force);
    const field = `#reference-${id}`;
    if (!reference)
      return this.show(req, res, '', '', 400, [
        { text: 'Enter the crime reference of the rape recorded for this report', href: field },
      ]);
    const ctx = webContext(req);
    try {
      const found = await this.crimes.list(ctx, { forceId: force, reference, limit: 1 });
      if (found.items.length === 0)
        return this.show(req, res, '', '', 404, [
          {
            text: `No record in ${forceName(this.catalogue, force)} has this reference`,
            href: field,
          },
        ]);
      await this.incidents.linkCrime(ctx, id, {
        version: Number(str(body.version)),
        crimeId: found.items[0].id,
      });
      res.redirect('/n100-reports?notice=linked', 303);
    } catch (e) {
      return this.show(req, res, '', '', statusOf(e), [errorLine(e, field)]);
    }
  }

  private async show(
    req: PageRequest,
    res: FastifyReply,
    force: string,
    notice: string,
    code = 200,
    errorList: ErrorItem[] = [],
  ): Promise<void> {
    const items = await this.incidents.list(webContext(req), {
      forceId: force || undefined,
      asAt: new Date(),
    });
    res.status(code);
    render(req, res, this.catalogue, 'records/n100', {
      title: 'Rape reports held as N100',
      errorList,
      notice: notice === 'linked' ? 'Crime linked: the report is no longer outstanding' : undefined,
      canLink: req.actor!.roles.includes('force_crime_registrar'),
      forces: forceItems(req, this.catalogue, force, 'All your forces'),
      items: items.map((i) => ({ ...i, force: forceName(this.catalogue, i.forceId) })),
    });
  }
}
