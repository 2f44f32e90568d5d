import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  StreamableFile,
} from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Ctx, ROLES, Roles, type RequestContext } from '#libs/auth';
import type { DisclosureConfig } from '#libs/disclosure';
import { DomainError } from '#libs/persistence';
import {
  exportComparison,
  exportNational,
  exportPublication,
  NationalReturnService,
  PublicationService,
  type ExportFile,
  type NationalReturn,
  type PublicationPreview,
  type PublicationSummaryView,
  type PublicationView,
  type YearComparison,
} from '#libs/national';
import { ApiFileOrJson, ApiUuidParam, FILE_TYPES } from '../http/openapi.js';
import { NationalReturnResponseDto } from './dto/national-return-response.dto.js';
import { PublicationPreviewResponseDto } from './dto/publication-preview-response.dto.js';
import { PublicationResponseDto } from './dto/publication-response.dto.js';
import { PublicationSummaryResponseDto } from './dto/publication-summary-response.dto.js';
import { YearComparisonResponseDto } from './dto/year-comparison-response.dto.js';
import {
  CompareParams,
  CompareQueryDto,
  CreatePublicationDto,
  NationalQueryDto,
  PublicationQueryDto,
  YearParams,
} from './dto/national.dto.js';

// National aggregation and publication (issue 6). The national return is unsuppressed: statisticians
// only. Publications are disclosure-controlled, so every role may read them.
@ApiTags('national')
@Controller()
export class NationalController {
  constructor(
    private readonly national: NationalReturnService,
    private readonly publications: PublicationService,
  ) {}

  @Get('national/:year')
  @Roles('statistician')
  @ApiFileOrJson(
    NationalReturnResponseDto,
    'the national return; ?format=csv (one long CSV) or xlsx downloads it',
    [FILE_TYPES.csv, FILE_TYPES.xlsx],
  )
  @ApiOperation({
    summary:
      'National return: force → region → England and Wales, every table, coverage ("N of M forces"), per day; basis accepted (snapshots) or live (records)',
  })
  async get(
    @Ctx() ctx: RequestContext,
    @Param() p: YearParams,
    @Query() q: NationalQueryDto,
  ): Promise<NationalReturn | StreamableFile> {
    const n = await this.national.build(ctx, p.year, q.basis ?? 'accepted');
    return q.format === undefined || q.format === 'json'
      ? n
      : file(await exportNational(n, q.format));
  }

  @Get('national/:year/compare/:otherYear')
  @Roles('statistician')
  @ApiFileOrJson(YearComparisonResponseDto, 'year on year (JSON), or its CSV with ?format=csv', [
    FILE_TYPES.csv,
  ])
  @ApiOperation({
    summary:
      'Year on year over the forces accepted in both years only, listing those included and excluded; ?format=csv downloads it',
  })
  async compare(
    @Ctx() ctx: RequestContext,
    @Param() p: CompareParams,
    @Query() q: CompareQueryDto,
  ): Promise<YearComparison | StreamableFile> {
    const c = await this.national.compare(ctx, p.year, p.otherYear);
    return q.format === 'csv' ? file(exportComparison(c)) : c;
  }

  @Post('national/:year/publications')
  @HttpCode(201)
  @Roles('statistician')
  @ApiOperation({
    summary:
      "Publish the year: disclosure-controlled tables from the accepted returns, stored hashed and immutable; locks the returns used; supersedes the year's current publication; below the coverage setting the missing forces must be acknowledged (422 CF-PUB-002)",
  })
  @ApiCreatedResponse({ type: PublicationResponseDto })
  publish(
    @Ctx() ctx: RequestContext,
    @Param() p: YearParams,
    @Body() dto: CreatePublicationDto,
  ): Promise<PublicationView> {
    return this.publications.publish(ctx, p.year, {
      title: dto.title,
      disclosure: disclosure(dto),
      acknowledgeMissingForces: dto.acknowledgeMissingForces,
    });
  }

  @Post('national/:year/publications/preview')
  @HttpCode(200)
  @Roles('statistician')
  @ApiOkResponse({ type: PublicationPreviewResponseDto })
  @ApiOperation({
    summary:
      'Preview a publication: the tables it would publish with these settings and the information loss (cells and share of the count suppressed, table by table; which primary suppressions forced which secondary ones). Creates and locks nothing',
  })
  preview(
    @Ctx() ctx: RequestContext,
    @Param() p: YearParams,
    @Body() dto: CreatePublicationDto,
  ): Promise<PublicationPreview> {
    return this.publications.preview(ctx, p.year, {
      title: dto.title,
      disclosure: disclosure(dto),
    });
  }

  @Get('national/:year/publications')
  @Roles(...ROLES)
  @ApiOperation({ summary: 'Publications of a year, oldest first' })
  @ApiOkResponse({ type: [PublicationSummaryResponseDto] })
  list(@Ctx() ctx: RequestContext, @Param() p: YearParams): Promise<PublicationSummaryView[]> {
    return this.publications.list(ctx, p.year);
  }

  @Get('publications/:id')
  @Roles(...ROLES)
  @ApiUuidParam('id')
  @ApiFileOrJson(
    PublicationResponseDto,
    'the publication; ?format=csv (a zip, or one CSV with layout=long) or xlsx downloads it',
  )
  @ApiOperation({
    summary:
      'A publication, with the check of its SHA-256; ?format=csv (&layout=long for the tidy form) or xlsx downloads it',
  })
  async publication(
    @Ctx() ctx: RequestContext,
    @Param('id', new ParseUUIDPipe({ version: undefined })) id: string,
    @Query() q: PublicationQueryDto,
  ): Promise<PublicationView | StreamableFile> {
    if (q.layout !== undefined && q.format !== 'csv')
      throw new DomainError('INVALID_INPUT', 'layout applies to format=csv');
    const view = await this.publications.get(ctx, id);
    return q.format === undefined || q.format === 'json'
      ? view
      : file(await exportPublication(view, q.format, q.layout));
  }
}

function disclosure(dto: CreatePublicationDto): DisclosureConfig {
  const d = dto.disclosure;
  // Only the settings given are stored with the publication, so its config reads as it was asked for.
  const protection = {
    ...(d.lowerProtection === undefined ? {} : { lower: d.lowerProtection }),
    ...(d.upperProtection === undefined ? {} : { upper: d.upperProtection }),
  };
  const common = {
    ...(d.secondaryMethod === undefined ? {} : { secondaryMethod: d.secondaryMethod }),
    ...(d.cost === undefined ? {} : { cost: d.cost }),
    ...(Object.keys(protection).length === 0 ? {} : { protection }),
  };
  if (d.method === 'ons-10-5') {
    if (d.threshold !== undefined)
      throw new DomainError(
        'INVALID_INPUT',
        'threshold applies to method threshold only (ONS 10-5 fixes it at 10)',
      );
    return { method: 'ons-10-5', ...common };
  }
  return {
    method: 'threshold',
    ...(d.threshold === undefined ? {} : { threshold: d.threshold }),
    ...common,
  };
}

function file(f: ExportFile): StreamableFile {
  return new StreamableFile(f.body, {
    type: f.contentType,
    disposition: `attachment; filename="${f.filename}"`,
    length: f.body.length,
  });
}
