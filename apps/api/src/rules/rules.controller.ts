import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles, ROLES } from '#libs/auth';
import { RULES_CONFIG, describeRules, type RulesConfig } from '#libs/recording-rules';

@ApiTags('rules')
@Controller('rules')
@Roles(...ROLES)
export class RulesController {
  constructor(@Inject(RULES_CONFIG) private readonly config: RulesConfig) {}

  @Get()
  @ApiOperation({ summary: 'The recording-rule catalogue: code, severity, message, reference, years, enabled' })
  list(): ReturnType<typeof describeRules> {
    return describeRules(this.config);
  }

  @Get('cancellation-categories')
  cancellationCategories(): RulesConfig['cancellationCategories'] {
    return this.config.cancellationCategories;
  }
}
