import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Ctx, Roles, type RequestContext } from '#libs/auth';
import {
  CompletenessService,
  UnderUseService,
  type CompletenessView,
  type UnderUseView,
} from '#libs/auditing';
import { ApiFileOrJson, FILE_TYPES } from '../http/openapi.js';
import { CompletenessQueryDto, UnderUseQueryDto } from './dto/audit-figures.dto.js';
import { CompletenessResponseDto } from './dto/completeness-response.dto.js';
import { UnderUseResponseDto } from './dto/under-use-response.dto.js';
import { sendCsv } from './csv-response.js';

@ApiTags('auditing')
@Controller('audit')
@Roles('auditor')
export class AuditFiguresController {
  constructor(
    private readonly completeness: CompletenessService,
    private readonly underUse: UnderUseService,
  ) {}

  @Get('completeness')
  @ApiOperation({
    summary:
      'Share of records with the online flag set and the victim age known, by group or code; monthly with interval=month; CSV with format=csv',
  })
  @ApiFileOrJson(CompletenessResponseDto, 'the figures; format=csv downloads them', [
    FILE_TYPES.csv,
  ])
  async getCompleteness(
    @Ctx() ctx: RequestContext,
    @Query() q: CompletenessQueryDto,
    @Res({ passthrough: true }) res: FastifyReply,
  ): Promise<CompletenessView | string> {
    const query = {
      forceId: q.force,
      year: q.year,
      by: q.by ?? 'group',
      monthly: q.interval === 'month',
    };
    if (q.format === 'csv')
      return sendCsv(
        res,
        `completeness-${q.force ?? 'scope'}-${q.year}.csv`,
        await this.completeness.csv(ctx, query),
      );
    return this.completeness.figures(ctx, query);
  }

  @Get('under-use')
  @ApiOperation({
    summary:
      "Each force's online-flag rate per offence group against the rest of England and Wales, with z-scores and ranked outliers; CSV with format=csv",
  })
  @ApiFileOrJson(UnderUseResponseDto, 'the comparison (JSON), or its CSV with format=csv', [
    FILE_TYPES.csv,
  ])
  async getUnderUse(
    @Ctx() ctx: RequestContext,
    @Query() q: UnderUseQueryDto,
    @Res({ passthrough: true }) res: FastifyReply,
  ): Promise<UnderUseView | string> {
    const query = { year: q.year, group: q.group };
    if (q.format === 'csv')
      return sendCsv(res, `under-use-${q.year}.csv`, await this.underUse.csv(ctx, query));
    return this.underUse.compare(ctx, query);
  }
}
