import { Controller, Get, Header, HttpCode, Param, ParseUUIDPipe, Post, Query, Req, Res, StreamableFile } from '@nestjs/common';
import { ApiCreatedResponse, ApiExtraModels, ApiOkResponse, ApiOperation, ApiProduces, ApiPropertyOptional, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import type { Request } from 'express';
import { Readable } from 'node:stream';
import { Ctx, Roles, type RequestContext } from '#libs/auth';
import { ImportReports, ImportService, type ImportJobView, type ImportMode, type RejectionView } from '#libs/imports';
import { DomainError } from '#libs/persistence';
import { ApiUuidParam } from '../http/openapi.js';
import { ImportJobDetailResponseDto } from './dto/import-job-detail-response.dto.js';
import { ImportJobResponseDto } from './dto/import-job-response.dto.js';
import { RejectionResponseDto } from './dto/rejection-response.dto.js';
import { importUpload } from './import-upload.js';

class StartImportQueryDto {
  @ApiPropertyOptional({ enum: ['csv', 'ndjson'], description: 'the parser, when the content type does not say (none, application/octet-stream, text/plain, or a multipart file part without a CSV or NDJSON type)' }) @IsOptional() @IsIn(['csv', 'ndjson']) format?: 'csv' | 'ndjson';
  @ApiPropertyOptional({ enum: ['all_or_nothing', 'accept_valid', 'dry_run'], default: 'all_or_nothing' })
  @IsOptional() @IsIn(['all_or_nothing', 'accept_valid', 'dry_run']) mode?: ImportMode;
}
class ReportQueryDto {
  @ApiPropertyOptional({ enum: ['json', 'csv'] }) @IsOptional() @IsIn(['json', 'csv']) format?: 'json' | 'csv';
  @ApiPropertyOptional() @IsOptional() @Matches(/^\d{1,9}$/) after?: string;
}

// The docs page offers the first media type: a two-row CSV example (docs/import-format.md §8) it can send as is.
const EXAMPLE_CSV = [
  'crime_reference,force_id,offence_code,reported_at,recorded_at,offence_from,offence_to,online_flag,online_method,victim_age,victim_sex,status',
  'EX/DBY/16/0001,derbyshire,8L,2016-05-03T09:15:00+01:00,2016-05-03T11:40:00+01:00,2016-04-20,2016-05-02T22:30:00+01:00,Y,"messages from a former partner, via a social media app",34,female,confirmed',
  'EX/DBY/16/0002,derbyshire,22B,2016-06-10T16:05:00+01:00,2016-06-10T18:20:00+01:00,2016-06-01T19:00:00+01:00,,U,,14,female,draft',
].join('\r\n') + '\r\n';
const EXAMPLE_NDJSON =
  '{"crime_reference":"EX/DBY/16/0001","force_id":"derbyshire","offence_code":"8L","reported_at":"2016-05-03T09:15:00+01:00","recorded_at":"2016-05-03T11:40:00+01:00","offence_from":"2016-04-20","offence_to":"2016-05-02T22:30:00+01:00","online_flag":"yes","online_method":"messages from a former partner, via a social media app","victim_age":34,"victim_sex":"female","status":"confirmed"}\n';
const IMPORT_BODY = {
  'text/csv': { schema: { type: 'string' }, example: EXAMPLE_CSV },
  'application/x-ndjson': { schema: { type: 'string' }, example: EXAMPLE_NDJSON },
  'multipart/form-data': {
    schema: {
      type: 'object',
      properties: { file: { type: 'string', format: 'binary', description: 'a .csv or .ndjson file; add ?format= if its type is not text/csv or application/x-ndjson' } },
      required: ['file'],
    },
  },
};

@ApiTags('imports')
@ApiExtraModels(RejectionResponseDto)
@Controller('imports')
export class ImportsController {
  constructor(
    private readonly imports: ImportService,
    private readonly reports: ImportReports,
  ) {}

  // The body, or the file part of a multipart body, is streamed straight into the parser: never buffered whole.
  // Send X-Import-Id (a UUID) to poll GET /imports/:id while the upload runs.
  @Post()
  @HttpCode(201)
  @Roles('registrar', 'force_crime_registrar')
  @ApiCreatedResponse({ type: ImportJobResponseDto })
  @ApiOperation({
    summary: 'Import crimes (CSV or NDJSON, docs/import-format.md); all-or-nothing unless mode=accept_valid',
    requestBody: { required: true, description: 'the file: the raw body, or the "file" part of a form upload', content: IMPORT_BODY },
  })
  async start(@Ctx() ctx: RequestContext, @Req() req: Request, @Query() q: StartImportQueryDto): Promise<ImportJobView> {
    const id = req.header('x-import-id');
    if (id !== undefined && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) {
      throw new DomainError('INVALID_INPUT', 'X-Import-Id must be a UUID');
    }
    const upload = await importUpload(req, q.format);
    return this.imports.run(ctx, upload.body, { id, format: upload.format, mode: q.mode ?? 'all_or_nothing', fileName: upload.fileName });
  }

  @Get(':id')
  @Roles('registrar', 'force_crime_registrar', 'auditor')
  @ApiUuidParam('id')
  @ApiOkResponse({ type: ImportJobDetailResponseDto })
  @ApiOperation({ summary: 'Status, progress, counts and the first page of rejected rows' })
  async get(@Ctx() ctx: RequestContext, @Param('id', ParseUUIDPipe) id: string): Promise<ImportJobView & { rejections: RejectionView[] }> {
    const job = await this.reports.visibleJob(ctx, id);
    return { ...job, rejections: await this.reports.rejections(ctx, job, 0, 1000) };
  }

  @Get(':id/report')
  @Roles('registrar', 'force_crime_registrar', 'auditor')
  @Header('cache-control', 'no-store')
  @ApiUuidParam('id')
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({
    description: 'JSON: up to 1000 rows after ?after=; format=csv: every row',
    content: { 'application/json': { schema: { type: 'array', items: { $ref: getSchemaPath(RejectionResponseDto) } } }, 'text/csv': { schema: { type: 'string' } } },
  })
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
