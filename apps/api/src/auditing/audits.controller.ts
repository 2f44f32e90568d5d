import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Put,
  Query,
} from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Ctx, Roles, type RequestContext } from '#libs/auth';
import {
  AuditsService,
  type AuditSummaryView,
  type AuditView,
  type SampledRecordView,
} from '#libs/auditing';
import { DomainError } from '#libs/persistence';
import { ApiUuidParam } from '../http/openapi.js';
import { AuditResponseDto } from './dto/audit-response.dto.js';
import { AuditSummaryResponseDto } from './dto/audit-summary-response.dto.js';
import { CreateAuditDto, ListAuditsQueryDto, VerdictDto } from './dto/audits.dto.js';
import { SampledRecordResponseDto } from './dto/sampled-record-response.dto.js';

const Uuid = (name: string) => Param(name, new ParseUUIDPipe({ version: undefined }));

// Sample audits: auditors of the force (or national auditors) only; registrars cannot audit themselves.
@ApiTags('auditing')
@Controller('audits')
@Roles('auditor')
export class AuditsController {
  constructor(private readonly audits: AuditsService) {}

  @Post()
  @ApiOperation({
    summary:
      'Define an audit; the system draws a reproducible stratified sample (stratum = offence group)',
  })
  // Whole examples: the schema's own would give both a year and dates, and both a size and a margin. They audit
  // the crimes of POST /imports' example file (Derbyshire, 2016-17).
  @ApiBody({
    type: CreateAuditDto,
    examples: {
      'by margin': {
        value: {
          force: 'derbyshire',
          year: '2016-17',
          offenceGroups: ['violence against the person'],
          targetMargin: 0.05,
        },
      },
      'by size': {
        value: {
          force: 'derbyshire',
          from: '2016-05-01',
          to: '2016-06-30',
          offenceGroups: ['violence against the person', 'sexual offences'],
          sampleSize: 50,
          seed: 'audit-2016-q1',
        },
      },
    },
  })
  @ApiCreatedResponse({ type: AuditResponseDto })
  create(@Ctx() ctx: RequestContext, @Body() dto: CreateAuditDto): Promise<AuditView> {
    if ((dto.sampleSize === undefined) === (dto.targetMargin === undefined)) {
      throw new DomainError('INVALID_INPUT', 'give exactly one of sampleSize and targetMargin');
    }
    return this.audits.create(ctx, {
      forceId: dto.force,
      year: dto.year,
      from: dto.from,
      to: dto.to,
      offenceGroups: dto.offenceGroups,
      size:
        dto.sampleSize !== undefined
          ? { sampleSize: dto.sampleSize }
          : { targetMargin: dto.targetMargin as number },
      seed: dto.seed,
      finitePopulationCorrection: dto.finitePopulationCorrection,
    });
  }

  @Get()
  @ApiOkResponse({ type: [AuditSummaryResponseDto] })
  @ApiOperation({
    summary:
      'Audits of the forces in your scope, newest first, with status and progress (mine=true: the ones you created)',
  })
  list(@Ctx() ctx: RequestContext, @Query() q: ListAuditsQueryDto): Promise<AuditSummaryView[]> {
    return this.audits.list(ctx, {
      status: q.status,
      mine: q.mine === 'true',
      limit: q.limit ?? 100,
    });
  }

  @Get(':id')
  @ApiOperation({
    summary: 'Strata, sample, progress and results so far (accuracy with 95% Wilson intervals)',
  })
  @ApiUuidParam('id')
  @ApiOkResponse({ type: AuditResponseDto })
  get(@Ctx() ctx: RequestContext, @Uuid('id') id: string): Promise<AuditView> {
    return this.audits.get(ctx, id);
  }

  @Put(':id/verdicts/:crimeId')
  @ApiOperation({
    summary: 'Record or replace the verdict on one sampled record (open audits only)',
  })
  @ApiUuidParam('id', 'crimeId')
  @ApiOkResponse({ type: SampledRecordResponseDto })
  verdict(
    @Ctx() ctx: RequestContext,
    @Uuid('id') id: string,
    @Uuid('crimeId') crimeId: string,
    @Body() dto: VerdictDto,
  ): Promise<SampledRecordView> {
    return this.audits.recordVerdict(ctx, id, crimeId, {
      flag: dto.flag,
      classification: dto.classification,
      note: dto.note ?? null,
    });
  }

  @Post(':id/close')
  @HttpCode(200)
  @ApiOperation({ summary: 'Close the audit: its verdicts and results can no longer change' })
  @ApiUuidParam('id')
  @ApiOkResponse({ type: AuditResponseDto })
  close(@Ctx() ctx: RequestContext, @Uuid('id') id: string): Promise<AuditView> {
    return this.audits.close(ctx, id);
  }
}
