import {
  applyDecorators,
  Body,
  Controller,
  Get,
  Header,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
} from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { Ctx, Roles, type RequestContext, type Role } from '#libs/auth';
import {
  CrimeAmendmentService,
  CrimeBulkService,
  CrimeQueryService,
  CrimeRecordingService,
  CrimeRemovalService,
  CrimeValidationService,
  type BulkResult,
  type CrimeView,
  type HistoryEntryView,
  type ValidationView,
} from '#libs/crimes';
import {
  BulkResolveDto,
  CancelCrimeDto,
  ConfirmCrimeDto,
  ListCrimesQueryDto,
  ReclassifyCrimeDto,
  TransferCrimeDto,
  ValidateAmendmentDto,
  ValidateCrimeDto,
} from './dto/crime-commands.dto.js';
import { AmendCrimeDto } from './dto/amend-crime.dto.js';
import { CreateCrimeDto } from './dto/create-crime.dto.js';
import { factsFromDto } from './dto/crime-fields.dto.js';
import { CrimePageResponseDto } from './dto/crime-page-response.dto.js';
import { CrimeResponseDto } from './dto/crime-response.dto.js';
import { HistoryEntryResponseDto } from './dto/history-entry-response.dto.js';
import { ApiUuidParam } from '../http/openapi.js';
import { BulkResultResponseDto } from './dto/bulk-result-response.dto.js';
import { CrimeValidationResponseDto } from './dto/validation-response.dto.js';

const Id = () => Param('id', new ParseUUIDPipe({ version: undefined }));

// A command on one record (POST :id/<action>): 200 with the record as it now is. Listed in the order the
// stacked decorators were applied (bottom up), so the OpenAPI document keeps its order.
const RecordCommand = (action: string, ...roles: Role[]) =>
  applyDecorators(
    ApiOkResponse({ type: CrimeResponseDto }),
    ApiUuidParam('id'),
    Roles(...roles),
    HttpCode(200),
    Post(`:id/${action}`),
  );

@ApiTags('crimes')
@Controller('crimes')
export class CrimesController {
  constructor(
    private readonly recording: CrimeRecordingService,
    private readonly amendment: CrimeAmendmentService,
    private readonly removal: CrimeRemovalService,
    private readonly query: CrimeQueryService,
    private readonly validation: CrimeValidationService,
    private readonly bulk: CrimeBulkService,
  ) {}

  @Post()
  @Roles('registrar', 'force_crime_registrar')
  @ApiOperation({ summary: 'Record a crime (draft or confirmed); recording rules run first' })
  @ApiCreatedResponse({ type: CrimeResponseDto })
  create(@Ctx() ctx: RequestContext, @Body() dto: CreateCrimeDto): Promise<CrimeView> {
    const { forceId, crimeReference, offenceCode, status, acknowledge } = dto;
    // Added to the facts' own new object: `{ ...facts, forceId, … }` took about 22 µs a create on Node 20 (V8
    // makes the spread's copy a new shape every time when properties follow it), this about 2 µs.
    return this.recording.record(
      ctx,
      Object.assign(factsFromDto(dto), {
        forceId,
        crimeReference,
        offenceCode,
        incidentReference: dto.incidentReference ?? null,
        status,
        acknowledge,
      }),
    );
  }

  @Get()
  @Roles('registrar', 'force_crime_registrar', 'auditor')
  @ApiOperation({ summary: 'List crimes in your scope, newest recorded first (cursor pagination)' })
  @ApiOkResponse({ type: CrimePageResponseDto })
  // The page comes as JSON text, written by the database (CrimeQueryService.listJson: issue #21), and is sent as is.
  @Header('content-type', 'application/json; charset=utf-8')
  list(@Ctx() ctx: RequestContext, @Query() q: ListCrimesQueryDto): Promise<string> {
    return this.query.listJson(ctx, {
      forceId: q.force,
      financialYear: q.year,
      offenceCode: q.offence,
      onlineFlag: q.flag,
      status: q.status,
      reference: q.reference,
      referencePrefix: q.referencePrefix,
      limit: q.limit,
      cursor: q.cursor,
    });
  }

  // Fastify's wildcard (the rest of the path, slashes included) is the parameter named '*'.
  @Get('by-reference/:force/*')
  @Roles('registrar', 'force_crime_registrar', 'auditor')
  @ApiParam({ name: 'force', example: 'derbyshire' })
  // The OpenAPI document names a wildcard `path` (@nestjs/swagger): it is the reference.
  @ApiParam({
    name: 'path',
    example: 'DY/2015/000123',
    description: 'the crime reference (the rest of the path), as it is or URL-encoded',
  })
  @ApiOkResponse({ type: CrimeResponseDto })
  @ApiOperation({
    summary:
      'The record with this crime reference in this force, or 404 (the reference may contain /)',
  })
  byReference(
    @Ctx() ctx: RequestContext,
    @Param('force') force: string,
    @Param('*') reference: string,
  ): Promise<CrimeView> {
    // Sent with its slashes as they are, or URL-encoded (%2F): either way it arrives decoded, as one string.
    return this.query.byReference(ctx, force, reference);
  }

  @Post('validate')
  @HttpCode(200)
  @Roles('registrar', 'force_crime_registrar')
  @ApiOkResponse({ type: CrimeValidationResponseDto })
  @ApiOperation({
    summary: 'Run the recording rules on a candidate new record without saving anything',
  })
  validate(@Ctx() ctx: RequestContext, @Body() dto: ValidateCrimeDto): Promise<ValidationView> {
    const {
      forceId,
      crimeReference,
      offenceCode,
      incidentReference,
      status,
      acknowledge,
      ...fields
    } = dto;
    return this.validation.candidate(ctx, {
      ...factsFromDto(fields),
      forceId,
      crimeReference,
      offenceCode,
      incidentReference,
      status,
      acknowledge,
    });
  }

  @Post('bulk')
  @HttpCode(200)
  @Roles('force_crime_registrar')
  @ApiOkResponse({ type: BulkResultResponseDto })
  @ApiOperation({
    summary:
      'Amend and/or confirm many drafts in one transaction (all_or_nothing) or item by item (per_item)',
  })
  bulkResolve(@Ctx() ctx: RequestContext, @Body() dto: BulkResolveDto): Promise<BulkResult> {
    return this.bulk.resolve(
      ctx,
      dto.mode ?? 'all_or_nothing',
      dto.items.map(({ id, version, reason, confirm, acknowledge, ...fields }) => ({
        id,
        version,
        reason,
        confirm,
        acknowledge,
        changes: factsFromDto(fields),
      })),
    );
  }

  @Get(':id')
  @Roles('registrar', 'force_crime_registrar', 'auditor')
  @ApiUuidParam('id')
  @ApiOkResponse({ type: CrimeResponseDto })
  get(@Ctx() ctx: RequestContext, @Id() id: string): Promise<CrimeView> {
    return this.query.get(ctx, id);
  }

  @Get(':id/history')
  @Roles('registrar', 'force_crime_registrar', 'auditor')
  @ApiOperation({ summary: 'Every change: who, when, why, old -> new' })
  @ApiUuidParam('id')
  @ApiOkResponse({ type: [HistoryEntryResponseDto] })
  history(@Ctx() ctx: RequestContext, @Id() id: string): Promise<HistoryEntryView[]> {
    return this.query.history(ctx, id);
  }

  @Patch(':id')
  @Roles('registrar', 'force_crime_registrar')
  @ApiOperation({
    summary: 'Amend facts with a reason (offence code changes go through reclassify)',
  })
  @ApiUuidParam('id')
  @ApiOkResponse({ type: CrimeResponseDto })
  amend(
    @Ctx() ctx: RequestContext,
    @Id() id: string,
    @Body() dto: AmendCrimeDto,
  ): Promise<CrimeView> {
    return this.amendment.amend(ctx, id, {
      version: dto.version,
      reason: dto.reason,
      changes: factsFromDto(dto),
      acknowledge: dto.acknowledge,
    });
  }

  @Post(':id/validate')
  @HttpCode(200)
  @Roles('registrar', 'force_crime_registrar')
  @ApiUuidParam('id')
  @ApiOkResponse({ type: CrimeValidationResponseDto })
  @ApiOperation({
    summary: 'Run the recording rules on an amendment of this record without saving anything',
  })
  validateAmendment(
    @Ctx() ctx: RequestContext,
    @Id() id: string,
    @Body() dto: ValidateAmendmentDto,
  ): Promise<ValidationView> {
    const { acknowledge, ...fields } = dto;
    return this.validation.amendment(ctx, id, { changes: factsFromDto(fields), acknowledge });
  }

  @RecordCommand('reclassify', 'registrar', 'force_crime_registrar')
  reclassify(
    @Ctx() ctx: RequestContext,
    @Id() id: string,
    @Body() dto: ReclassifyCrimeDto,
  ): Promise<CrimeView> {
    return this.amendment.reclassify(ctx, id, dto);
  }

  @RecordCommand('confirm', 'force_crime_registrar')
  confirm(
    @Ctx() ctx: RequestContext,
    @Id() id: string,
    @Body() dto: ConfirmCrimeDto,
  ): Promise<CrimeView> {
    return this.recording.confirm(ctx, id, dto);
  }

  @RecordCommand('cancel', 'force_crime_registrar')
  @ApiOperation({
    summary:
      'Cancel a recorded crime (HOCR Section C): category + additional verifiable information',
  })
  cancel(
    @Ctx() ctx: RequestContext,
    @Id() id: string,
    @Body() dto: CancelCrimeDto,
  ): Promise<CrimeView> {
    return this.removal.cancel(ctx, id, dto);
  }

  @RecordCommand('transfer', 'force_crime_registrar')
  transfer(
    @Ctx() ctx: RequestContext,
    @Id() id: string,
    @Body() dto: TransferCrimeDto,
  ): Promise<CrimeView> {
    return this.removal.transfer(ctx, id, dto);
  }
}
