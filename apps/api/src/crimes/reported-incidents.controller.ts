import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Ctx, Roles, type RequestContext } from '#libs/auth';
import { ReportedIncidentService, type ReportedIncidentView } from '#libs/crimes';
import { ApiUuidParam } from '../http/openapi.js';
import {
  LinkN100CrimeDto,
  RecordN100Dto,
  ReportedIncidentResponseDto,
  ReportedIncidentsQueryDto,
} from './dto/reported-incident.dto.js';

// Rape reports held as N100 (issue 20 §5, domain.md R21): reported incidents, not crimes.
@ApiTags('reported-incidents')
@Controller('reported-incidents')
export class ReportedIncidentsController {
  constructor(private readonly incidents: ReportedIncidentService) {}

  @Post()
  @Roles('registrar', 'force_crime_registrar')
  @ApiOperation({
    summary: 'Hold a rape report as N100 (not immediately crimed), with the reason',
  })
  @ApiCreatedResponse({ type: ReportedIncidentResponseDto })
  record(@Ctx() ctx: RequestContext, @Body() dto: RecordN100Dto): Promise<ReportedIncidentView> {
    return this.incidents.record(ctx, { ...dto, reportedAt: new Date(dto.reportedAt) });
  }

  @Get()
  @Roles('force_crime_registrar', 'auditor')
  @ApiOperation({
    summary:
      "N100s of the caller's forces, oldest first, with their age in days; state=all includes those since recorded as crimes",
  })
  @ApiOkResponse({ type: [ReportedIncidentResponseDto] })
  list(
    @Ctx() ctx: RequestContext,
    @Query() q: ReportedIncidentsQueryDto,
  ): Promise<ReportedIncidentView[]> {
    return this.incidents.list(ctx, { forceId: q.force, state: q.state, asAt: new Date() });
  }

  @Post(':id/crime')
  @HttpCode(200)
  @Roles('registrar', 'force_crime_registrar')
  @ApiOperation({
    summary: 'Link the rape crime recorded for this N100 (the link is kept; it leaves the list)',
  })
  @ApiUuidParam('id')
  @ApiOkResponse({ type: ReportedIncidentResponseDto })
  linkCrime(
    @Ctx() ctx: RequestContext,
    @Param('id', new ParseUUIDPipe({ version: undefined })) id: string,
    @Body() dto: LinkN100CrimeDto,
  ): Promise<ReportedIncidentView> {
    return this.incidents.linkCrime(ctx, id, dto);
  }
}
