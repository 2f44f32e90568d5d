import { Controller, Get, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Ctx, Roles, type RequestContext } from '#libs/auth';
import { YearTrackerService, type YearTracker } from '#libs/returns';
import { YearParams } from './dto/return.dto.js';
import { YearTrackerResponseDto } from './dto/year-tracker-response.dto.js';

// The year's returns at a glance (issue 13 item 2). Same readers as a force's return; the service
// limits the rows to the caller's forces.
@ApiTags('returns')
@Controller('returns')
export class ReturnYearController {
  constructor(private readonly tracker: YearTrackerService) {}

  @Get(':year')
  @Roles('registrar', 'force_crime_registrar', 'statistician', 'auditor')
  @ApiOkResponse({ type: YearTrackerResponseDto })
  @ApiOperation({
    summary:
      "The year's tracker: every expected force in your scope with its return's state, version, last event and records changed since submission",
  })
  get(@Ctx() ctx: RequestContext, @Param() p: YearParams): Promise<YearTracker> {
    return this.tracker.year(ctx, p.year);
  }
}
