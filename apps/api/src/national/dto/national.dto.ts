import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsFinancialYear, IsOneOf } from '../../http/validation.js';

export class YearParams {
  @IsFinancialYear({ example: '2020-21' }) year: number;
}

export class CompareParams extends YearParams {
  @IsFinancialYear({ example: '2019-20', description: 'the year to compare with (the base)' })
  otherYear: number;
}

export class CompareQueryDto {
  @IsOneOf(['json', 'csv'], true) format?: 'json' | 'csv';
}

export class NationalQueryDto {
  @IsOneOf(['accepted', 'live'], true) basis?: 'accepted' | 'live';
  @IsOneOf(['json', 'csv', 'xlsx'], true) format?: 'json' | 'csv' | 'xlsx';
}

export class PublicationQueryDto {
  @IsOneOf(['json', 'csv', 'xlsx'], true) format?: 'json' | 'csv' | 'xlsx';
  @ApiPropertyOptional({
    enum: ['wide', 'long'],
    description:
      'format=csv: wide = a zip of one CSV per table; long = one tidy CSV, a row per figure',
  })
  @IsOptional()
  @IsIn(['wide', 'long'])
  layout?: 'wide' | 'long';
}

export class DisclosureDto {
  @ApiProperty({
    enum: ['threshold', 'ons-10-5'],
    description:
      'threshold: counts 1..threshold-1 shown as [c]; ons-10-5: below 10 suppressed, the rest rounded to 5',
  })
  @IsIn(['threshold', 'ons-10-5'])
  method: 'threshold' | 'ons-10-5';
  @ApiPropertyOptional({
    default: 5,
    minimum: 2,
    maximum: 100,
    description: 'method threshold only',
  })
  @IsOptional()
  @IsInt()
  @Min(2)
  @Max(100)
  threshold?: number;
  @ApiPropertyOptional({
    enum: ['optimal', 'greedy'],
    default: 'optimal',
    description:
      'optimal: least-cost secondary suppression (MIP, HiGHS) over all linked tables; greedy: the older heuristic',
  })
  @IsOptional()
  @IsIn(['optimal', 'greedy'])
  secondaryMethod?: 'optimal' | 'greedy';
  @ApiPropertyOptional({
    enum: ['value', 'cells'],
    default: 'value',
    description:
      'what the optimal method minimises: the suppressed count, or the number of suppressed figures',
  })
  @IsOptional()
  @IsIn(['value', 'cells'])
  cost?: 'value' | 'cells';
  @ApiPropertyOptional({
    minimum: 0,
    maximum: 100,
    description: 'lower protection level of a suppressed small count (default: the threshold)',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100)
  lowerProtection?: number;
  @ApiPropertyOptional({
    minimum: 0,
    maximum: 100,
    description: 'upper protection level of a suppressed small count (default: the threshold)',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100)
  upperProtection?: number;
}

export class CreatePublicationDto {
  @ApiProperty({ example: 'Online-flagged crime, England and Wales, year ending March 2021' })
  @IsString()
  @Matches(/\S/, { message: 'title must not be blank' })
  @MaxLength(200)
  title: string;
  @ApiProperty({ type: DisclosureDto })
  // IsObject: ValidateNested alone lets a missing value through, and publish() read its method (a 500, issue #18).
  @IsObject()
  @ValidateNested()
  @Type(() => DisclosureDto)
  disclosure: DisclosureDto;
  @ApiPropertyOptional({
    type: [String],
    example: ['bedfordshire'],
    description:
      'ids of expected forces whose returns are not accepted, published without on purpose: needed when fewer than PUBLICATION_MIN_COVERAGE of the forces are accepted (422 CF-PUB-002 lists them)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @Matches(/^[a-z][a-z-]{1,39}$/, {
    each: true,
    message: 'acknowledgeMissingForces must hold force ids such as "derbyshire"',
  })
  acknowledgeMissingForces?: string[];
}
