import { Controller, Get, Header, HttpCode, Param, ParseUUIDPipe, Post, Query, Req, Res, StreamableFile } from '@nestjs/common';
import { ApiConsumes, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import type { Request } from 'express';
import { Readable } from 'node:stream';
import { Ctx, Roles, type RequestContext } from '#libs/auth';
import { ImportReports, ImportService, type ImportJobView, type ImportMode, type RejectionView } from '#libs/imports';
import { DomainError } from '#libs/persistence';

class StartImportQueryDto {
  @ApiPropertyOptional({ enum: ['csv', 'ndjson'], description: 'default: from Content-Type' }) @IsOptional() @IsIn(['csv', 'ndjson']) format?: 'csv' | 'ndjson';
  @ApiPropertyOptional({ enum: ['all_or_nothing', 'accept_valid', 'dry_run'], default: 'all_or_nothing' })
  @IsOptional() @IsIn(['all_or_nothing', 'accept_valid', 'dry_run']) mode?: ImportMode;
}
class ReportQueryDto {
  @ApiPropertyOptional({ enum: ['json', 'csv'] }) @IsOptional() @IsIn(['json', 'csv']) format?: 'json' | 'csv';
  @ApiPropertyOptional() @IsOptional() @Matches(/^\d{1,9}$/) after?: string;
}

const FORMAT_OF: Record<string, 'csv' | 'ndjson'> = { 'text/csv': 'csv', 'application/x-ndjson': 'ndjson', 'application/ndjson': 'ndjson' };

@ApiTags('imports')
@Controller('imports')
export class ImportsController {
  constructor(
    private readonly imports: ImportService,
    private readonly reports: ImportReports,
  ) {}

  // The body is streamed straight into the parser: never buffered whole. Send X-Import-Id (a UUID) to poll
  // GET /imports/:id while the upload runs; the import's own id (in the answer) is derived from it and the user.
  @Post()
  @HttpCode(201)
  @Roles('registrar', 'force_crime_registrar')
  @ApiConsumes('text/csv', 'application/x-ndjson')
  @ApiOperation({ summary: 'Import crimes (CSV or NDJSON, docs/import-format.md); all-or-nothing unless mode=accept_valid' })
  start(@Ctx() ctx: RequestContext, @Req() req: Request, @Query() q: StartImportQueryDto): Promise<ImportJobView> {
    const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    const format = q.format ?? FORMAT_OF[type];
    if (!format || (type !== '' && !FORMAT_OF[type] && type !== 'application/octet-stream')) {
      throw new DomainError('INVALID_INPUT', 'send the file as text/csv or application/x-ndjson');
    }
    const id = req.header('x-import-id');
    if (id !== undefined && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) {
      throw new DomainError('INVALID_INPUT', 'X-Import-Id must be a UUID');
    }
    return this.imports.run(ctx, req, { clientId: id, format, mode: q.mode ?? 'all_or_nothing', fileName: req.header('x-file-name') ?? null });
  }

  @Get(':id')
  @Roles('registrar', 'force_crime_registrar', 'auditor')
  @ApiOperation({ summary: 'Status, progress, counts and the first page of rejected rows' })
  async get(@Ctx() ctx: RequestContext, @Param('id', ParseUUIDPipe) id: string): Promise<ImportJobView & { rejections: RejectionView[] }> {
    const job = await this.reports.visibleJob(ctx, id);
    return { ...job, rejections: await this.reports.rejections(ctx, job, 0, 1000) };
  }

  @Get(':id/report')
  @Roles('registrar', 'force_crime_registrar', 'auditor')
  @Header('cache-control', 'no-store')
  @ApiOperation({ summary: 'Every rejected row: line, crime reference, rule codes, message (JSON pages or one CSV)' })
  async report(
    @Ctx() ctx: RequestContext,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() q: ReportQueryDto,
    @Res({ passthrough: true }) res: { setHeader(k: string, v: string): void },
  ): Promise<RejectionView[] | StreamableFile> {
    const job = await this.reports.visibleJob(ctx, id);
    if (q.format !== 'csv') return this.reports.rejections(ctx, job, q.after ? Number(q.after) : 0, 1000);
    res.setHeader('content-type', 'text/csv; charset=utf-8');
    res.setHeader('content-disposition', `attachment; filename="import-${id}-report.csv"`);
    return new StreamableFile(Readable.from(this.reports.csv(ctx, job)));
  }
}
