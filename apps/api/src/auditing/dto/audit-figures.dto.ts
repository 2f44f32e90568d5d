import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { IsFinancialYear, IsForceId, IsOneOf } from '../../http/validation.js';

// The auditing services take the year as its text ('2017-18'), checked here; they refuse one before the flag.
export const Year = (optional = false) =>
  IsFinancialYear({ optional, as: 'text', example: '2017-18' });

export class CompletenessQueryDto {
  @IsForceId(true) force?: string;
  @Year() year: string;
  @IsOneOf(['group', 'code'], true) by?: 'group' | 'code';
  @IsOneOf(['month'], true) interval?: 'month';
  @IsOneOf(['json', 'csv'], true) format?: 'json' | 'csv';
}

export class UnderUseQueryDto {
  @Year() year: string;
  @ApiPropertyOptional({
    example: 'violence against the person',
    description: 'one offence group (default: every group)',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  group?: string;
  @IsOneOf(['json', 'csv'], true) format?: 'json' | 'csv';
}
