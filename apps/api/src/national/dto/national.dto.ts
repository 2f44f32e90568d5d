import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsObject, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { IsOneOf } from '../../http/validation.js';

const YEAR = /^\d{4}-\d{2}$/;

export class YearParams {
  @ApiProperty({ example: '2020-21', description: 'financial year, 1 April to 31 March' })
  @Matches(YEAR, { message: 'year must look like 2020-21' })
  year: string;
}

export class CompareParams extends YearParams {
  @ApiProperty({ example: '2019-20', description: 'the year to compare with (the base)' })
  @Matches(YEAR, { message: 'otherYear must look like 2019-20' })
  otherYear: string;
}

export class NationalQueryDto {
  @IsOneOf(['accepted', 'live'], true) basis?: 'accepted' | 'live';
  @IsOneOf(['json', 'csv', 'xlsx'], true) format?: 'json' | 'csv' | 'xlsx';
}

export class PublicationQueryDto {
  @IsOneOf(['json', 'csv', 'xlsx'], true) format?: 'json' | 'csv' | 'xlsx';
  @ApiPropertyOptional({ enum: ['wide', 'long'], description: 'format=csv: wide = a zip of one CSV per table; long = one tidy CSV, a row per figure' })
  @IsOptional() @IsIn(['wide', 'long']) layout?: 'wide' | 'long';
}

export class DisclosureDto {
  @ApiProperty({ enum: ['threshold', 'ons-10-5'], description: 'threshold: counts 1..threshold-1 shown as *; ons-10-5: below 10 suppressed, the rest rounded to 5' })
  @IsIn(['threshold', 'ons-10-5']) method: 'threshold' | 'ons-10-5';
  @ApiPropertyOptional({ default: 5, minimum: 2, maximum: 100, description: 'method threshold only' })
  @IsOptional() @IsInt() @Min(2) @Max(100) threshold?: number;
}

export class CreatePublicationDto {
  @ApiProperty({ example: 'Online-flagged crime, England and Wales, year ending March 2021' })
  @IsString() @Matches(/\S/, { message: 'title must not be blank' }) @MaxLength(200) title: string;
  @ApiProperty({ type: DisclosureDto })
  // IsObject: ValidateNested alone lets a missing value through, and publish() read its method (a 500, issue #18).
  @IsObject() @ValidateNested() @Type(() => DisclosureDto) disclosure: DisclosureDto;
}
