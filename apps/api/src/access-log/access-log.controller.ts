import { applyDecorators, Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import {
  IsIn,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  ValidateBy,
  type ValidationArguments,
} from 'class-validator';
import { IsWholeNumber } from '../http/validation.js';
import {
  ACCESS_ACTIONS,
  AccessLogService,
  type AccessAction,
  type AccessLogView,
} from '#libs/access-log';
import { Ctx, Roles, type RequestContext } from '#libs/auth';
import { AccessLogEntryResponseDto } from './dto/access-log-entry-response.dto.js';

// IsISO8601 also takes forms Date cannot read (week dates such as 2016-W01): those are a 400 too, not an
// invalid Date sent to PostgreSQL (issue #18 hostile-input suite).
const IsInstant = () =>
  applyDecorators(
    ApiPropertyOptional(),
    IsOptional(),
    IsISO8601({ strict: true }),
    ValidateBy({
      name: 'isReadableInstant',
      validator: {
        validate: (v: unknown) => typeof v === 'string' && !Number.isNaN(new Date(v).getTime()),
        defaultMessage: (args?: ValidationArguments) =>
          `${args?.property ?? 'date'} must be a date-time such as 2016-03-31T22:59:00Z`,
      },
    }),
  );

class AccessLogQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsString() user?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(/^[a-z][a-z-]{1,39}$/) force?: string;
  @ApiPropertyOptional({ enum: ACCESS_ACTIONS })
  @IsOptional()
  @IsIn(ACCESS_ACTIONS)
  action?: AccessAction;
  @ApiPropertyOptional() @IsOptional() @IsUUID() record?: string;
  @IsInstant() from?: string;
  @IsInstant() to?: string;
  @ApiPropertyOptional({ description: 'return entries after this sequence number' })
  @IsOptional()
  @Matches(/^\d{1,18}$/)
  after?: string;
  @IsWholeNumber('limit', 1, 1000, { default: 100 }) limit?: number;
}

@ApiTags('access-log')
@Controller('access-log')
@Roles('auditor')
export class AccessLogController {
  constructor(private readonly log: AccessLogService) {}

  @Get()
  @ApiOperation({
    summary: 'Who saw and changed what (DPA 2018 s.62), for the forces the auditor covers',
  })
  @ApiOkResponse({ type: [AccessLogEntryResponseDto] })
  list(@Ctx() ctx: RequestContext, @Query() q: AccessLogQueryDto): Promise<AccessLogView[]> {
    return this.log.search(ctx.actor, {
      userId: q.user,
      forceId: q.force,
      action: q.action,
      recordId: q.record,
      from: q.from,
      to: q.to,
      afterSeq: q.after,
      limit: q.limit,
    });
  }
}
