import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Ctx, Roles, type RequestContext } from '#libs/auth';
import {
  ReviewCorrectionService,
  ReviewQueueService,
  type RefreshResult,
  type ReviewItemView,
  type ReviewPage,
} from '#libs/auditing';
import type { CrimeView, RecordedFacts } from '#libs/crimes';
import { factsFromDto } from '../crimes/dto/crime-fields.dto.js';
import {
  AddReviewItemDto,
  CorrectReviewItemDto,
  RefreshQueueQueryDto,
  ReviewItemDecisionDto,
  ReviewQueueQueryDto,
} from './dto/review-queue.dto.js';
import { sendCsv } from './csv-response.js';
import { ApiFileOrJson, ApiUuidParam, FILE_TYPES } from '../http/openapi.js';
import { CorrectionResponseDto } from './dto/correction-response.dto.js';
import { RefreshResultResponseDto } from './dto/refresh-result-response.dto.js';
import { ReviewItemResponseDto } from './dto/review-item-response.dto.js';
import { ReviewPageResponseDto } from './dto/review-page-response.dto.js';

const Id = () => Param('id', new ParseUUIDPipe({ version: undefined }));

// Auditors work the queue (mark items); the force's registrars see it and make corrections through it.
@ApiTags('auditing')
@Controller('audit/review-queue')
export class ReviewQueueController {
  constructor(
    private readonly queue: ReviewQueueService,
    private readonly correction: ReviewCorrectionService,
  ) {}

  @Post('refresh')
  @HttpCode(200)
  @Roles('auditor')
  @ApiOperation({
    summary:
      'Add rule-based items (CF-FLAG-002, CF-FLAG-003, late flag changes) for a force and year; idempotent',
  })
  @ApiOkResponse({ type: RefreshResultResponseDto })
  refresh(@Ctx() ctx: RequestContext, @Query() q: RefreshQueueQueryDto): Promise<RefreshResult> {
    return this.queue.refresh(ctx, { forceId: q.force, year: q.year });
  }

  @Get()
  @Roles('auditor', 'registrar', 'force_crime_registrar')
  @ApiOperation({
    summary:
      'The review queue, oldest first (cursor pagination, no cap); format=csv exports every matching item',
  })
  @ApiFileOrJson(
    ReviewPageResponseDto,
    'a page of items; format=csv downloads every matching item',
    [FILE_TYPES.csv],
  )
  async list(
    @Ctx() ctx: RequestContext,
    @Query() q: ReviewQueueQueryDto,
    @Res({ passthrough: true }) res: FastifyReply,
  ): Promise<ReviewPage | string> {
    const filter = {
      forceId: q.force,
      status: q.status,
      reason: q.reason,
      year: q.year,
      addedBy: q.addedBy,
    };
    if (q.format === 'csv')
      return sendCsv(
        res,
        `review-queue-${q.force ?? 'scope'}.csv`,
        await this.queue.exportCsv(ctx, filter),
      );
    return this.queue.list(ctx, {
      ...filter,
      limit: q.limit,
      cursor: q.cursor,
    });
  }

  @Post()
  @Roles('auditor')
  @ApiOperation({ summary: 'Add a record to the queue by hand, with a note' })
  @ApiCreatedResponse({ type: ReviewItemResponseDto })
  add(@Ctx() ctx: RequestContext, @Body() dto: AddReviewItemDto): Promise<ReviewItemView> {
    return this.queue.add(ctx, { crimeId: dto.crimeId, note: dto.note });
  }

  @Patch(':id')
  @Roles('auditor')
  @ApiOperation({
    summary: "Set an item's status (open, confirmed_correct, referred) with the reviewer's note",
  })
  @ApiUuidParam('id')
  @ApiOkResponse({ type: ReviewItemResponseDto })
  review(
    @Ctx() ctx: RequestContext,
    @Id() id: string,
    @Body() dto: ReviewItemDecisionDto,
  ): Promise<ReviewItemView> {
    return this.queue.review(ctx, id, { version: dto.version, status: dto.status, note: dto.note });
  }

  @Post(':id/correct')
  @HttpCode(200)
  @Roles('registrar', 'force_crime_registrar')
  @ApiOperation({
    summary:
      "Correct the record through the amendment path (history kept) and mark the item corrected; the force's registrars only, never auditors",
  })
  @ApiUuidParam('id')
  @ApiOkResponse({ type: CorrectionResponseDto })
  correct(
    @Ctx() ctx: RequestContext,
    @Id() id: string,
    @Body() dto: CorrectReviewItemDto,
  ): Promise<{ item: ReviewItemView; crime: CrimeView }> {
    return this.correction.correct(ctx, id, {
      version: dto.version,
      reason: dto.reason,
      changes: factsFromDto(dto.changes) as Partial<RecordedFacts>,
      acknowledge: dto.acknowledge ?? [],
    });
  }
}
