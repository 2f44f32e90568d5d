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
import type { DisclosureConfig } from '#libs/disclosure';
import {
  exportPublication,
  PublicationService,
  type PublicationContent,
  type PublishedTableEntry,
} from '#libs/national';
import { DomainError } from '#libs/persistence';
import { formatFinancialYear, parseFlagYear } from '#libs/recording-rules';
import { WebCsrfGuard } from '../web-csrf.js';
import { webContext } from '../web-context.js';
import { render, type ErrorItem, type PageRequest } from '../web-page.js';

type FormBody = Record<string, unknown>;
const str = (v: unknown): string => (typeof v === 'string' ? v.trim() : '');
const list = (v: unknown): string[] =>
  ([] as unknown[])
    .concat(v ?? [])
    .map(str)
    .filter(Boolean);

// The disclosure settings as the page's form holds them (GET query for the preview, POST body to publish).
export interface SettingsForm {
  title: string;
  method: string;
  threshold: string;
  secondaryMethod: string;
  cost: string;
  lowerProtection: string; // blank: the service's default (the threshold)
  upperProtection: string;
}

const DOWNLOADS = [
  {
    format: 'xlsx',
    text: 'Spreadsheet (XLSX, accessible: cover, contents, notes, a table a sheet)',
  },
  { format: 'csv', text: 'CSV files, one a table (zip)' },
  { format: 'csv-long', text: 'CSV, long form (one row a figure)' },
  { format: 'json', text: 'JSON, as stored and hashed' },
] as const;

// Publications in the browser (issue 16 §5): thin views over PublicationService's preview, publish, list and
// get, the same calls as POST /national/:year/publications(/preview), GET …/publications and /publications/:id
// (under /national-publications: /publications/:id is the API's).
@ApiExcludeController()
@Controller('national-publications')
@WebPage()
@UseGuards(WebCsrfGuard)
export class PublicationPagesController {
  constructor(
    private readonly catalogue: Catalogue,
    private readonly publications: PublicationService,
  ) {}

  @Get()
  @Roles('statistician')
  picker(@Res() res: FastifyReply): void {
    const now = new Date();
    const current = now.getUTCMonth() >= 3 ? now.getUTCFullYear() : now.getUTCFullYear() - 1;
    res.redirect(`/national-publications/year/${formatFinancialYear(current - 1)}`, 303);
  }

  // The year's publications, oldest first, each current or superseded (by which one, when).
  @Get('year/:year')
  @Roles('statistician')
  async year(
    @Req() req: PageRequest,
    @Res() res: FastifyReply,
    @Param('year') yearText: string,
  ): Promise<void> {
    const year = parseFlagYear(yearText);
    const rows = await this.publications.list(webContext(req), year);
    const label = formatFinancialYear(year);
    render(req, res, this.catalogue, 'publications/list', {
      title: `Publications for ${label}`,
      year: label,
      rows: rows.map((p) => ({
        ...p,
        tag:
          p.status === 'current'
            ? { text: 'current', classes: 'moj-badge moj-badge--green' }
            : { text: 'superseded', classes: 'moj-badge moj-badge--grey' },
        supersededByTitle: p.supersededBy
          ? (rows.find((x) => x.id === p.supersededBy!.id)?.title ?? p.supersededBy.id)
          : null,
      })),
      downloads: DOWNLOADS,
    });
  }

  // The settings form and, once settings are chosen, the preview of the tables they give. A GET: it changes
  // nothing (the preview stores and locks nothing), so a preview has an address.
  @Get('year/:year/new')
  @Roles('statistician')
  async preview(
    @Req() req: PageRequest,
    @Res() res: FastifyReply,
    @Param('year') yearText: string,
    @Query() q: Record<string, unknown>,
  ): Promise<void> {
    const year = parseFlagYear(yearText);
    const label = formatFinancialYear(year);
    const chosen = q.method !== undefined;
    const form = settingsForm(chosen ? q : {}, label);
    const { config, errors } = chosen ? parseSettings(form) : { config: null, errors: {} };
    let preview: PublicationContent | null = null;
    let errorList: ErrorItem[] = errorItems(errors);
    if (config) {
      try {
        preview = (
          await this.publications.preview(webContext(req), year, {
            title: form.title,
            disclosure: config,
          })
        ).content;
      } catch (e) {
        if (!(e instanceof DomainError)) throw e;
        errorList = [{ text: e.message, href: '#settings' }];
        res.status(statusOf(e));
      }
    }
    if (Object.keys(errors).length > 0) res.status(400);
    render(req, res, this.catalogue, 'publications/new', {
      title: `Prepare a publication for ${label}`,
      year: label,
      form,
      errors,
      errorList,
      preview: preview && previewLocals(preview),
    });
  }

  // Publish. Below the coverage setting the service refuses (CF-PUB-002) naming the missing forces: the page
  // then asks for an explicit confirmation naming them, and only a confirmed form acknowledges them.
  @Post('year/:year')
  @Roles('statistician')
  @HttpCode(200)
  async publish(
    @Req() req: PageRequest,
    @Res() res: FastifyReply,
    @Param('year') yearText: string,
    @Body() body: FormBody,
  ): Promise<void> {
    const year = parseFlagYear(yearText);
    const label = formatFinancialYear(year);
    const form = settingsForm(body, label);
    const { config, errors } = parseSettings(form);
    if (!config) {
      res.status(400);
      return render(req, res, this.catalogue, 'publications/new', {
        title: `Prepare a publication for ${label}`,
        year: label,
        form,
        errors,
        errorList: errorItems(errors),
        preview: null,
      });
    }
    const acknowledge = list(body.acknowledge);
    const confirmed = str(body.confirmMissing) === 'yes';
    try {
      if (acknowledge.length > 0 && !confirmed)
        throw new DomainError('RULE_VIOLATION', 'confirm', { unconfirmed: true });
      const p = await this.publications.publish(webContext(req), year, {
        title: form.title,
        disclosure: config,
        acknowledgeMissingForces: acknowledge,
      });
      res.redirect(`/national-publications/${p.id}?notice=published`, 303);
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      const d = e.details as
        | {
            ruleCodes?: string[];
            unconfirmed?: boolean;
            missingForces?: { forceId: string; forceName: string; status: string }[];
            coverage?: { accepted: number; expected: number; minCoverage: number };
          }
        | undefined;
      if (d?.unconfirmed || d?.ruleCodes?.includes('CF-PUB-002')) {
        // Asked again with the same forces when only the box was not ticked.
        const missing = d.unconfirmed
          ? acknowledge.map((id) => ({
              forceId: id,
              forceName: this.catalogue.force(id)?.name ?? id,
              status: str(body[`status-${id}`]),
            }))
          : d.missingForces!;
        return render(req, res, this.catalogue, 'publications/confirm', {
          title: `Publish without ${missing.length} ${missing.length === 1 ? 'force' : 'forces'}?`,
          year: label,
          form,
          missing,
          coverage: d.coverage ?? null,
          errorList: d.unconfirmed
            ? [
                {
                  text: 'Confirm that the publication leaves out these forces, or go back',
                  href: '#confirmMissing',
                },
              ]
            : [],
        });
      }
      res.status(statusOf(e));
      render(req, res, this.catalogue, 'publications/new', {
        title: `Prepare a publication for ${label}`,
        year: label,
        form,
        errors: {},
        errorList: [{ text: e.message, href: '#settings' }],
        preview: null,
      });
    }
  }

  @Get(':id')
  @Roles('statistician')
  async view(
    @Req() req: PageRequest,
    @Res() res: FastifyReply,
    @Param('id', new ParseUUIDPipe({ version: undefined })) id: string,
    @Query('notice') notice?: string,
  ): Promise<void> {
    const p = await this.publications.get(webContext(req), id);
    render(req, res, this.catalogue, 'publications/view', {
      title: p.title,
      p,
      year: p.year,
      tag:
        p.status === 'current'
          ? { text: 'current', classes: 'moj-badge moj-badge--green' }
          : { text: 'superseded', classes: 'moj-badge moj-badge--grey' },
      ...previewLocals(p.content),
      downloads: DOWNLOADS,
      notice: notice === 'published' ? 'Published: the returns it used are now locked' : undefined,
    });
  }

  @Get(':id/download/:format')
  @Roles('statistician')
  async download(
    @Req() req: PageRequest,
    @Res() res: FastifyReply,
    @Param('id', new ParseUUIDPipe({ version: undefined })) id: string,
    @Param('format') format: string,
  ): Promise<void> {
    if (!DOWNLOADS.some((d) => d.format === format))
      throw new DomainError('NOT_FOUND', `no download in format ${format}`);
    const p = await this.publications.get(webContext(req), id);
    const file = await exportPublication(
      p,
      format === 'csv-long' ? 'csv' : (format as 'csv' | 'xlsx' | 'json'),
      format === 'csv-long' ? 'long' : 'wide',
    );
    res.header('content-type', file.contentType);
    res.header('content-disposition', `attachment; filename="${file.filename}"`);
    res.send(file.body);
  }
}

function settingsForm(src: Record<string, unknown>, year: string): SettingsForm {
  return {
    title: str(src.title) || `Online crime flag: recorded crimes in England and Wales, ${year}`,
    method: str(src.method) || 'threshold',
    threshold: str(src.threshold) || (str(src.method) === 'ons-10-5' ? '' : '5'),
    secondaryMethod: str(src.secondaryMethod) || 'optimal',
    cost: str(src.cost) || 'value',
    lowerProtection: str(src.lowerProtection),
    upperProtection: str(src.upperProtection),
  };
}

// The form's settings as the service's DisclosureConfig (the API's CreatePublicationDto rules), or the errors.
export function parseSettings(f: SettingsForm): {
  config: DisclosureConfig | null;
  errors: Record<string, string>;
} {
  const errors: Record<string, string> = {};
  if (!f.title) errors.title = 'Enter a title for the publication';
  if (f.title.length > 200) errors.title = 'The title must be 200 characters or fewer';
  if (f.method !== 'threshold' && f.method !== 'ons-10-5')
    errors.method = 'Select a disclosure control method';
  const threshold = Number(f.threshold);
  if (
    f.method === 'threshold' &&
    !(Number.isInteger(threshold) && threshold >= 2 && threshold <= 100)
  )
    errors.threshold = 'Enter a threshold as a whole number from 2 to 100';
  if (f.secondaryMethod !== 'optimal' && f.secondaryMethod !== 'greedy')
    errors.secondaryMethod = 'Select how further cells are chosen';
  if (f.cost !== 'value' && f.cost !== 'cells') errors.cost = 'Select what the choice minimises';
  const level = (v: string) => (v === '' ? undefined : Number(v));
  const [lower, upper] = [level(f.lowerProtection), level(f.upperProtection)];
  for (const [k, v] of [
    ['lowerProtection', lower],
    ['upperProtection', upper],
  ] as const)
    if (v !== undefined && !(Number.isInteger(v) && v >= 0 && v <= 100))
      errors[k] = 'Enter a protection level as a whole number from 0 to 100, or leave it blank';
  if (Object.keys(errors).length > 0) return { config: null, errors };
  // Only the levels given are passed on, as the API does, so the stored config reads as it was asked for.
  const protection = {
    ...(lower === undefined ? {} : { lower }),
    ...(upper === undefined ? {} : { upper }),
  };
  const common = {
    secondaryMethod: f.secondaryMethod as 'optimal' | 'greedy',
    cost: f.cost as 'value' | 'cells',
    ...(Object.keys(protection).length === 0 ? {} : { protection }),
  };
  return {
    config:
      f.method === 'ons-10-5'
        ? { method: 'ons-10-5', ...common }
        : { method: 'threshold', threshold, ...common },
    errors,
  };
}

// What the tables partial shows of a publication's content: each table with its rows (totals and forces not
// included at the end), the information loss, the notes and the forces left out.
function previewLocals(c: PublicationContent) {
  return {
    meta: c.metadata,
    report: c.disclosureReport,
    notes: c.notes,
    tables: c.tables.map((t, i) => tableLocals(t, i, c)),
    notIncluded: c.coverage.filter((r) => r.status !== 'included'),
    suppressedCount: c.tables.reduce((n, t) => n + t.informationLoss.cellsSuppressed, 0),
  };
}

function tableLocals(t: PublishedTableEntry, i: number, c: PublicationContent) {
  const loss = c.disclosureReport.byTable.find((b) => b.id === t.id);
  return {
    id: t.id,
    number: i + 1,
    title: t.title,
    countingUnit: t.countingUnit,
    coverage: t.coverage.text,
    rowDimension: t.rowDimension,
    columns: [...t.table.columnLabels, 'Total'],
    rowCoverage: t.rowCoverage !== null,
    rows: [
      ...t.table.rowLabels.map((label, r) => ({
        label,
        cells: [...t.table.cells[r]!, t.table.rowTotals[r]!],
        coverage: t.rowCoverage?.[r] ?? null,
        total: false,
      })),
      {
        label: 'Total',
        cells: [...t.table.columnTotals, t.table.grandTotal],
        coverage: t.coverage.text,
        total: true,
      },
      ...t.notPublishedRows.map((n) => ({
        label: `${n.label} (${n.status})`,
        cells: [...t.table.columnLabels, 'Total'].map(() => '[x]'),
        coverage: t.rowCoverage ? '[x]' : null,
        total: false,
      })),
    ],
    loss,
    notes: t.notes,
  };
}

function errorItems(errors: Record<string, string>): ErrorItem[] {
  return Object.entries(errors).map(([k, text]) => ({ text, href: `#${k}` }));
}

function statusOf(e: DomainError): number {
  return (
    { RULE_VIOLATION: 422, INVALID_INPUT: 400, NOT_FOUND: 404, FORBIDDEN_SCOPE: 403 }[
      e.code as string
    ] ?? 400
  );
}
