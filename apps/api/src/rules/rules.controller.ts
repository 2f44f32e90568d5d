import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles, ROLES } from '#libs/auth';
import { RULES_CONFIG, describeRules, type RulesConfig } from '#libs/recording-rules';
import { CancellationCategoryResponseDto } from './dto/cancellation-category-response.dto.js';
import { RuleResponseDto } from './dto/rule-response.dto.js';

@ApiTags('rules')
@Controller('rules')
@Roles(...ROLES)
export class RulesController {
  constructor(@Inject(RULES_CONFIG) private readonly config: RulesConfig) {}

  @Get()
  @ApiOperation({
    summary: 'The recording-rule catalogue: code, severity, message, reference, years, enabled',
  })
  @ApiOkResponse({ type: [RuleResponseDto] })
  list(): ReturnType<typeof describeRules> {
    return describeRules(this.config);
  }

  @Get('cancellation-categories')
  @ApiOkResponse({ type: [CancellationCategoryResponseDto] })
  cancellationCategories(): RulesConfig['cancellationCategories'] {
    return this.config.cancellationCategories;
  }
}
