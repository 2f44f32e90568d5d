import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { IsForceId, IsOneOf } from '../../http/validation.js';

export const Year = (optional = false) =>
  applyDecorators(
    optional
      ? ApiPropertyOptional({ example: '2017-18' })
      : ApiProperty({ example: '2017-18', description: 'financial year' }),
    ...(optional ? [IsOptional()] : []),
    Matches(/^\d{4}-\d{2}$/, { message: '$property must look like 2017-18' }),
  );

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
