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
  StreamableFile,
} from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiPropertyOptional,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Readable } from 'node:stream';
import { Ctx, Roles, type RequestContext } from '#libs/auth';
import {
  ImportReports,
  ImportService,
  type ImportJobView,
  type ImportMode,
  type ImportPage,
  type ImportState,
  type RejectionView,
} from '#libs/imports';
import { DomainError } from '#libs/persistence';
import { ApiUuidParam } from '../http/openapi.js';
import { IsWholeNumber } from '../http/validation.js';
import { ImportJobDetailResponseDto } from './dto/import-job-detail-response.dto.js';
import { ImportJobResponseDto } from './dto/import-job-response.dto.js';
import { ImportPageResponseDto } from './dto/import-page-response.dto.js';
import { RejectionResponseDto } from './dto/rejection-response.dto.js';
import { IMPORT_REQUEST_BODY } from './dto/import-request-body.js';
import { importUpload } from './import-upload.js';

class StartImportQueryDto {
  @ApiPropertyOptional({
    enum: ['csv', 'ndjson'],
    description:
      'the parser, where the content type (of the body, or of the multipart file part) does not say: none, application/octet-stream, text/plain, application/vnd.ms-excel',
  })
  @IsOptional()
  @IsIn(['csv', 'ndjson'])
  format?: 'csv' | 'ndjson';
  @ApiPropertyOptional({
    enum: ['all_or_nothing', 'accept_valid', 'dry_run'],
    default: 'all_or_nothing',
  })
  @IsOptional()
  @IsIn(['all_or_nothing', 'accept_valid', 'dry_run'])
  mode?: ImportMode;
}
class ListImportsQueryDto {
  @ApiPropertyOptional({ enum: ['running', 'completed', 'rejected', 'failed'] })
  @IsOptional()
  @IsIn(['running', 'completed', 'rejected', 'failed'])
  state?: ImportState;
  @ApiPropertyOptional({ default: 50, minimum: 1, maximum: 500 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
  @ApiPropertyOptional() @IsOptional() @IsString() cursor?: string;
}
class ReportQueryDto {
  @ApiPropertyOptional({ enum: ['json', 'csv'] }) @IsOptional() @IsIn(['json', 'csv']) format?:
    'json' | 'csv';
  @IsWholeNumber('after', 0, 999_999_999, { description: 'rows after this line' }) after?: number;
}

@ApiTags('imports')
@ApiExtraModels(RejectionResponseDto)
@Controller('imports')
export class ImportsController {
  constructor(
    private readonly imports: ImportService,
    private readonly reports: ImportReports,
  ) {}

  // The body, or the file part of a multipart body, is streamed straight into the parser: never buffered whole.
  // Send X-Import-Id (a UUID) to poll GET /imports/:id while the upload runs; the import's own id (in the answer)
  // is derived from it and the user.
  @Post()
  @HttpCode(201)
  @Roles('registrar', 'force_crime_registrar')
  @ApiCreatedResponse({ type: ImportJobResponseDto })
  @ApiOperation({
    summary:
      'Import crimes (CSV or NDJSON, docs/import-format.md); all-or-nothing unless mode=accept_valid',
    requestBody: {
      required: true,
      description: 'the file: the raw body, or the "file" part of a form upload',
      content: IMPORT_REQUEST_BODY,
    },
  })
  async start(
    @Ctx() ctx: RequestContext,
    @Req() req: FastifyRequest,
    @Query() q: StartImportQueryDto,
  ): Promise<ImportJobView> {
    const id = req.headers['x-import-id'] as string | undefined; // Node joins repeated headers into one
    if (
      id !== undefined &&
      !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)
    ) {
      throw new DomainError('INVALID_INPUT', 'X-Import-Id must be a UUID');
    }
    const upload = await importUpload(req, q.format);
    return this.imports.run(ctx, upload.body, {
      clientId: id,
      format: upload.format,
      mode: q.mode ?? 'all_or_nothing',
      fileName: upload.fileName,
    });
  }

  @Get()
  @Roles('registrar', 'force_crime_registrar', 'auditor')
  @ApiOkResponse({ type: ImportPageResponseDto })
  @ApiOperation({
    summary:
      'Imports you may see, newest first: yours, and those into your forces whoever ran them',
  })
  list(@Ctx() ctx: RequestContext, @Query() q: ListImportsQueryDto): Promise<ImportPage> {
    return this.reports.list(ctx, { state: q.state, cursor: q.cursor, limit: q.limit ?? 50 });
  }

  @Get(':id')
  @Roles('registrar', 'force_crime_registrar', 'auditor')
  @ApiUuidParam('id')
  @ApiOkResponse({ type: ImportJobDetailResponseDto })
  @ApiOperation({ summary: 'Status, progress, counts and the first page of rejected rows' })
  async get(
    @Ctx() ctx: RequestContext,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<ImportJobView & { rejections: RejectionView[] }> {
    const job = await this.reports.visibleJob(ctx, id);
    return { ...job, rejections: await this.reports.rejections(ctx, job, 0, 1000) };
  }

  @Get(':id/report')
  @Roles('registrar', 'force_crime_registrar', 'auditor')
  @Header('cache-control', 'no-store')
  @ApiUuidParam('id')
  @ApiOkResponse({
    description: 'JSON: up to 1000 rows after ?after=; format=csv: every row',
    content: {
      'application/json': {
        schema: { type: 'array', items: { $ref: getSchemaPath(RejectionResponseDto) } },
      },
      'text/csv': { schema: { type: 'string' } },
    },
  })
  @ApiOperation({
    summary:
      'Every rejected row: line, crime reference, rule codes, message (JSON pages or one CSV)',
  })
  async report(
    @Ctx() ctx: RequestContext,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() q: ReportQueryDto,
    @Res({ passthrough: true }) res: FastifyReply,
  ): Promise<RejectionView[] | StreamableFile> {
    const job = await this.reports.visibleJob(ctx, id);
    if (q.format !== 'csv') return this.reports.rejections(ctx, job, q.after ?? 0, 1000);
    res.header('content-type', CSV_CONTENT_TYPE);
    res.header('content-disposition', `attachment; filename="import-${id}-report.csv"`);
    return new StreamableFile(Readable.from(this.reports.csv(ctx, job)));
  }
}
