import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, IsUUID, Matches } from 'class-validator';
import {
  ACCESS_ACTIONS,
  AccessLogService,
  type AccessAction,
  type AccessLogView,
} from '#libs/access-log';
import { canAccessForce, Ctx, Roles, type RequestContext } from '#libs/auth';
import { DomainError, ScopedDb } from '#libs/persistence';
import { AccessLogEntryResponseDto } from './dto/access-log-entry-response.dto.js';

class AccessLogQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsString() user?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(/^[a-z][a-z-]{1,39}$/) force?: string;
  @ApiPropertyOptional({ enum: ACCESS_ACTIONS })
  @IsOptional()
  @IsIn(ACCESS_ACTIONS)
  action?: AccessAction;
  @ApiPropertyOptional() @IsOptional() @IsUUID() record?: string;
  @ApiPropertyOptional() @IsOptional() @IsISO8601({ strict: true }) from?: string;
  @ApiPropertyOptional() @IsOptional() @IsISO8601({ strict: true }) to?: string;
  @ApiPropertyOptional({ description: 'return entries after this sequence number' })
  @IsOptional()
  @Matches(/^\d{1,18}$/)
  after?: string;
  @ApiPropertyOptional({ default: 100 })
  @IsOptional()
  @Matches(/^([1-9]\d{0,2}|1000)$/)
  limit?: string;
}

// IsISO8601 also takes forms Date cannot read (week dates such as 2016-W01): those are a 400, not an invalid
// Date sent to PostgreSQL (issue #18 hostile-input suite).
function instant(text: string, name: string): Date {
  const d = new Date(text);
  if (Number.isNaN(d.getTime()))
    throw new DomainError(
      'INVALID_INPUT',
      `${name} must be a date-time such as 2016-03-31T22:59:00Z`,
    );
  return d;
}

@ApiTags('access-log')
@Controller('access-log')
@Roles('auditor')
export class AccessLogController {
  constructor(
    private readonly log: AccessLogService,
    private readonly db: ScopedDb,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Who saw and changed what (DPA 2018 s.62), for the forces the auditor covers',
  })
  @ApiOkResponse({ type: [AccessLogEntryResponseDto] })
  list(@Ctx() ctx: RequestContext, @Query() q: AccessLogQueryDto): Promise<AccessLogView[]> {
    if (q.force && !canAccessForce(ctx.actor, q.force))
      throw new DomainError('FORBIDDEN_SCOPE', `not allowed to audit force ${q.force}`);
    return this.db.run(ctx.actor.forces, (em) =>
      this.log.list(em, ctx.actor.forces, {
        userId: q.user,
        forceId: q.force,
        action: q.action,
        recordId: q.record,
        from: q.from ? instant(q.from, 'from') : undefined,
        to: q.to ? instant(q.to, 'to') : undefined,
        afterSeq: q.after,
        limit: q.limit ? Number(q.limit) : 100,
      }),
    );
  }
}
