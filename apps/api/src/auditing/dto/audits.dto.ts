import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';
import { VERDICTS, type Verdict } from '#libs/auditing';
import { IsForceId, IsOneOf } from '../../http/validation.js';
import { Year } from './audit-figures.dto.js';

const IsDate = () =>
  Matches(/^\d{4}-\d{2}-\d{2}$/, { message: '$property must be a date (YYYY-MM-DD)' });

export class CreateAuditDto {
  @IsForceId() force: string;
  @Year(true) year?: string;
  @ApiPropertyOptional({
    example: '2017-08-01',
    description: 'period start, UK calendar date (instead of year)',
  })
  @IsOptional()
  @IsDate()
  from?: string;
  @ApiPropertyOptional({ example: '2018-01-31', description: 'period end, inclusive' })
  @IsOptional()
  @IsDate()
  to?: string;
  @ApiProperty({ example: ['sexual offences'], description: 'offence groups: the strata' })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(200, { each: true })
  offenceGroups: string[];
  @ApiPropertyOptional({ description: 'records to sample (or give targetMargin)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100000)
  sampleSize?: number;
  @ApiPropertyOptional({
    example: 0.05,
    description: 'margin of error wanted at 95% confidence (or give sampleSize)',
  })
  @IsOptional()
  @IsNumber()
  @Min(0.005)
  @Max(0.5)
  targetMargin?: number;
  @ApiPropertyOptional({
    description: 'seed for a reproducible draw (default: generated and stored)',
  })
  @IsOptional()
  @IsString()
  @Matches(/^[\x21-\x7e]{1,200}$/, { message: 'seed must be 1-200 printable ASCII characters' })
  seed?: string;
  @ApiPropertyOptional({
    default: true,
    description: 'finite population correction in the intervals',
  })
  @IsOptional()
  @IsBoolean()
  finitePopulationCorrection?: boolean;
}

export class VerdictDto {
  @IsOneOf(VERDICTS) flag: Verdict;
  @IsOneOf(VERDICTS) classification: Verdict;
  @ApiPropertyOptional({ type: String, nullable: true })
  @ValidateIf((_: unknown, v: unknown) => v !== null && v !== undefined)
  @IsString()
  @MaxLength(4000)
  note?: string | null;
}

export class ListAuditsQueryDto {
  @IsOneOf(['open', 'closed'], true) status?: 'open' | 'closed';
  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'only the audits you created' })
  @IsOptional()
  @IsIn(['true', 'false'])
  mine?: 'true' | 'false';
  @ApiPropertyOptional({ default: 100, minimum: 1, maximum: 500 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}
