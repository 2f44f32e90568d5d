import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  Post,
  Query,
  StreamableFile,
} from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Ctx, Roles, type RequestContext } from '#libs/auth';
import { DomainError } from '#libs/persistence';
import {
  ReturnExportService,
  ReturnLifecycleService,
  ReturnRevisionsService,
  type RevisionDiff,
  type RevisionList,
  type RevisionView,
  type ReturnView,
  type TransitionResult,
  type ValidationView,
} from '#libs/returns';
import { ApiFileOrJson } from '../http/openapi.js';
import { ReturnResponseDto } from './dto/return-response.dto.js';
import { RevisionDiffResponseDto } from './dto/revision-diff-response.dto.js';
import { RevisionListResponseDto } from './dto/revision-list-response.dto.js';
import { RevisionResponseDto } from './dto/revision-response.dto.js';
import { TransitionResultResponseDto } from './dto/transition-result-response.dto.js';
import { ValidationResponseDto } from './dto/validation-response.dto.js';
import {
  AcceptReturnDto,
  DiffParams,
  ReturnParams,
  ReturnQueryDto,
  ReturnReturnDto,
  RevisionParams,
  SubmitReturnDto,
} from './dto/return.dto.js';

const READERS = ['registrar', 'force_crime_registrar', 'statistician', 'auditor'] as const;

// The force annual return (issue 5). Scope is checked in the services: a force's registrars and
// auditors for that force, statisticians nationally.
@ApiTags('returns')
@Controller('returns/:force/:year')
export class ReturnsController {
  constructor(
    private readonly lifecycle: ReturnLifecycleService,
    private readonly revisions: ReturnRevisionsService,
    private readonly exports: ReturnExportService,
  ) {}

  @Get()
  @Roles(...READERS)
  @ApiFileOrJson(
    ReturnResponseDto,
    'the lifecycle view; with ?format= the return as a file (json: the published schema; csv: one table, or a zip of all; xlsx)',
  )
  @ApiOperation({
    summary:
      'The return: state, latest revision, changes since submission, your next actions, live draft tables; ?format= downloads it',
  })
  async get(
    @Ctx() ctx: RequestContext,
    @Param() p: ReturnParams,
    @Query() q: ReturnQueryDto,
  ): Promise<ReturnView | StreamableFile> {
    if (q.format === undefined) {
      if (q.table !== undefined || q.revision !== undefined)
        throw new DomainError('INVALID_INPUT', 'table and revision apply to exports: add format=');
      return this.lifecycle.view(ctx, p.force, p.year);
    }
    const file = await this.exports.export(ctx, p.force, p.year, {
      format: q.format,
      table: q.table,
      revision: q.revision,
    });
    return new StreamableFile(file.body, {
      type: file.contentType,
      disposition: `attachment; filename="${file.fileName}"`,
      length: file.body.length,
    });
  }

  @Post('submit')
  @HttpCode(200)
  @Roles('force_crime_registrar')
  @ApiOperation({
    summary:
      'Sign off and submit (or resubmit) the return: return rules run first (422 RULE_VIOLATION), then revision n+1 is frozen',
  })
  @ApiOkResponse({ type: TransitionResultResponseDto })
  submit(
    @Ctx() ctx: RequestContext,
    @Param() p: ReturnParams,
    @Body() dto: SubmitReturnDto,
  ): Promise<TransitionResult> {
    return this.lifecycle.submit(ctx, p.force, p.year, dto);
  }

  @Post('accept')
  @HttpCode(200)
  @Roles('statistician')
  @ApiOperation({ summary: 'Accept the submitted revision' })
  @ApiOkResponse({ type: TransitionResultResponseDto })
  accept(
    @Ctx() ctx: RequestContext,
    @Param() p: ReturnParams,
    @Body() dto: AcceptReturnDto,
  ): Promise<TransitionResult> {
    return this.lifecycle.accept(ctx, p.force, p.year, dto);
  }

  @Post('return')
  @HttpCode(200)
  @Roles('statistician')
  @ApiOperation({ summary: 'Return the submitted revision to the force, with the reasons' })
  @ApiOkResponse({ type: TransitionResultResponseDto })
  sendBack(
    @Ctx() ctx: RequestContext,
    @Param() p: ReturnParams,
    @Body() dto: ReturnReturnDto,
  ): Promise<TransitionResult> {
    return this.lifecycle.returnToForce(ctx, p.force, p.year, dto);
  }

  @Get('validation')
  @Roles(...READERS)
  @ApiOperation({
    summary:
      'Run the return rules (CF-RET-001..004) on the live data now; violations with the records concerned',
  })
  @ApiOkResponse({ type: ValidationResponseDto })
  validation(@Ctx() ctx: RequestContext, @Param() p: ReturnParams): Promise<ValidationView> {
    return this.lifecycle.validation(ctx, p.force, p.year);
  }

  @Get('revisions')
  @Roles(...READERS)
  @ApiOperation({ summary: 'Submitted revisions, oldest first' })
  @ApiOkResponse({ type: RevisionListResponseDto })
  list(@Ctx() ctx: RequestContext, @Param() p: ReturnParams): Promise<RevisionList> {
    return this.revisions.list(ctx, p.force, p.year);
  }

  @Get('revisions/:rev')
  @Roles(...READERS)
  @ApiOperation({ summary: 'One revision: the frozen tables and the check of their SHA-256' })
  @ApiOkResponse({ type: RevisionResponseDto })
  revision(@Ctx() ctx: RequestContext, @Param() p: RevisionParams): Promise<RevisionView> {
    return this.revisions.get(ctx, p.force, p.year, p.rev);
  }

  @Get('revisions/:a/diff/:b')
  @Roles(...READERS)
  @ApiOperation({
    summary: 'Every cell that differs between revision b (old) and revision a (new)',
  })
  @ApiOkResponse({ type: RevisionDiffResponseDto })
  diff(@Ctx() ctx: RequestContext, @Param() p: DiffParams): Promise<RevisionDiff> {
    return this.revisions.diff(ctx, p.force, p.year, p.a, p.b);
  }
}
