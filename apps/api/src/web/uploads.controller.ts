import { CSV_CONTENT_TYPE } from '#libs/csv';
import {
  Controller,
  Get,
  Header,
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
import busboy from 'busboy';
import type { FastifyReply } from 'fastify';
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { Roles, WebPage } from '#libs/auth';
import { Catalogue } from '#libs/catalogue';
import {
  ImportReports,
  ImportService,
  type ImportFormat,
  type ImportJobView,
  type ImportMode,
} from '#libs/imports';
import { DomainError } from '#libs/persistence';
import { WebCsrfGuard } from './web-csrf.js';
import { render, type PageRequest } from './web-page.js';
import { webContext } from './web-context.js';

const MODES: ImportMode[] = ['dry_run', 'all_or_nothing', 'accept_valid'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// The import page (issue 15 §4): upload a CSV or NDJSON file through the same import service as POST /imports,
// streamed from the multipart body (never buffered whole). The form's script polls the import's status to show a
// progress bar; without script the post returns when the import has finished and the report page shows the result
// (refreshing itself while an import is still running).
@ApiExcludeController()
@Controller('uploads')
@WebPage()
@UseGuards(WebCsrfGuard)
export class UploadsController {
  constructor(
    private readonly imports: ImportService,
    private readonly reports: ImportReports,
    private readonly catalogue: Catalogue,
  ) {}

  @Get()
  @Roles('registrar', 'force_crime_registrar', 'auditor')
  async page(
    @Req() req: PageRequest,
    @Res() res: FastifyReply,
    @Query('cursor') cursor?: string,
  ): Promise<void> {
    const list = await this.reports.list(webContext(req), {
      cursor: cursor || undefined,
      limit: 20,
    });
    const canImport = req.actor!.roles.some(
      (r) => r === 'registrar' || r === 'force_crime_registrar',
    );
    render(req, res, this.catalogue, 'uploads/index', {
      title: 'Imports',
      imports: list.items,
      nextUrl: list.nextCursor ? `/uploads?cursor=${encodeURIComponent(list.nextCursor)}` : null,
      canImport,
      importId: randomUUID(),
      errors: {},
    });
  }

  @Post()
  @Roles('registrar', 'force_crime_registrar')
  @HttpCode(200)
  async upload(@Req() req: PageRequest, @Res() res: FastifyReply): Promise<void> {
    const job = await this.receive(req).catch((e: unknown) => {
      if (e instanceof DomainError && e.code === 'INVALID_INPUT') return e;
      throw e;
    });
    if (job instanceof DomainError) {
      const list = await this.reports.list(webContext(req), { limit: 20 });
      res.status(400);
      return render(req, res, this.catalogue, 'uploads/index', {
        title: 'Imports',
        imports: list.items,
        canImport: true,
        importId: randomUUID(),
        errors: { file: job.message },
        errorList: [{ text: job.message, href: '#file' }],
      });
    }
    res.redirect(`/uploads/${job.id}`, 303);
  }

  @Get(':id')
  @Roles('registrar', 'force_crime_registrar', 'auditor')
  async report(
    @Req() req: PageRequest,
    @Res() res: FastifyReply,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<void> {
    const ctx = webContext(req);
    const job = await this.reports.visibleJob(ctx, id);
    const rejections = await this.reports.rejections(ctx, job, 0, 1000);
    render(req, res, this.catalogue, 'uploads/report', {
      title: `Import ${job.fileName ?? job.id}`,
      job,
      rejections,
      running: job.state === 'running',
    });
  }

  // For the page's progress bar: the job's state and counts only.
  @Get(':id/status')
  @Roles('registrar', 'force_crime_registrar', 'auditor')
  @Header('cache-control', 'no-store')
  async status(
    @Req() req: PageRequest,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<Pick<ImportJobView, 'id' | 'state' | 'counts'>> {
    const job = await this.reports.visibleJob(webContext(req), id);
    return { id: job.id, state: job.state, counts: job.counts };
  }

  @Get(':id/report.csv')
  @Roles('registrar', 'force_crime_registrar', 'auditor')
  async csv(
    @Req() req: PageRequest,
    @Res() res: FastifyReply,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<void> {
    const ctx = webContext(req);
    const job = await this.reports.visibleJob(ctx, id);
    res.header('content-type', CSV_CONTENT_TYPE);
    res.header('content-disposition', `attachment; filename="import-${id}-report.csv"`);
    void res.send(Readable.from(this.reports.csv(ctx, job)));
  }

  // The multipart body: the fields before the file (mode, importId), then the file streamed into the import.
  private receive(req: PageRequest): Promise<ImportJobView> {
    return new Promise<ImportJobView>((resolve, reject) => {
      let parser: busboy.Busboy;
      try {
        parser = busboy({
          headers: req.headers,
          limits: { files: 1, fields: 10, fieldSize: 1000 },
        });
      } catch {
        return reject(new DomainError('INVALID_INPUT', 'Choose a CSV or NDJSON file to import'));
      }
      const fields: Record<string, string> = {};
      let started = false;
      parser.on('field', (name, value) => {
        fields[name] = value;
      });
      parser.on('file', (_name, file: Readable, info) => {
        started = true;
        const fileName = info.filename ?? '';
        const format = formatOf(fileName, info.mimeType, fields.format);
        const mode = MODES.includes(fields.mode as ImportMode)
          ? (fields.mode as ImportMode)
          : 'all_or_nothing';
        if (!fileName || !format) {
          file.resume();
          return reject(
            new DomainError(
              'INVALID_INPUT',
              'Choose a CSV or NDJSON file to import (.csv, .ndjson or .jsonl)',
            ),
          );
        }
        const id = UUID.test(fields.importId ?? '') ? fields.importId : undefined;
        this.imports
          .run(webContext(req), file, {
            clientId: id,
            format,
            mode,
            fileName: fileName.slice(0, 200),
          })
          .then(resolve, reject);
      });
      parser.on('close', () => {
        if (!started)
          reject(new DomainError('INVALID_INPUT', 'Choose a CSV or NDJSON file to import'));
      });
      parser.on('error', () =>
        reject(new DomainError('INVALID_INPUT', 'The upload could not be read: try again')),
      );
      req.raw.pipe(parser);
    });
  }
}

function formatOf(fileName: string, mime: string, chosen?: string): ImportFormat | null {
  if (chosen === 'csv' || chosen === 'ndjson') return chosen;
  if (/\.csv$/i.test(fileName) || mime === 'text/csv') return 'csv';
  if (/\.(ndjson|jsonl)$/i.test(fileName) || /ndjson/.test(mime)) return 'ndjson';
  return null;
}
