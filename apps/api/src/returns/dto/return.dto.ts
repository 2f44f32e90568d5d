import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Matches, MaxLength, Min } from 'class-validator';
import {
  EXPORT_FORMATS,
  EXPORT_TABLE_KEYS,
  type ExportFormat,
  type ExportTableKey,
} from '#libs/returns';
import { IsFinancialYear, IsForceId, IsReason, IsWholeNumber } from '../../http/validation.js';

export class YearParams {
  @IsFinancialYear({
    description:
      'financial year, 1 April to 31 March (2015-16 or later: the flag started on 1 April 2015)',
  })
  year: number;
}

export class ReturnParams extends YearParams {
  @IsForceId() force: string;
}

export class RevisionParams extends ReturnParams {
  @IsWholeNumber('rev', 1, 999_999, { example: '1', optional: false }) rev: number;
}

export class DiffParams extends ReturnParams {
  @IsWholeNumber('a', 1, 999_999, {
    example: '2',
    description: 'the newer revision',
    optional: false,
  })
  a: number;
  @IsWholeNumber('b', 1, 999_999, {
    example: '1',
    description: 'the revision to compare with (old values)',
    optional: false,
  })
  b: number;
}

export class ReturnQueryDto {
  @ApiPropertyOptional({
    enum: EXPORT_FORMATS,
    description:
      'download the return as a file (docs/return-format.md) instead of the lifecycle view',
  })
  @IsOptional()
  @IsIn(EXPORT_FORMATS)
  format?: ExportFormat;
  @ApiPropertyOptional({
    enum: EXPORT_TABLE_KEYS,
    description: 'format=csv: this table alone as one CSV (default: a zip of all)',
  })
  @IsOptional()
  @IsIn(EXPORT_TABLE_KEYS)
  table?: ExportTableKey;
  // No example: the docs page would send it without format= (a 400).
  @IsWholeNumber('revision', 1, 999_999, {
    description: 'with format=: export a submitted revision, e.g. 1 (default: the live draft)',
  })
  revision?: number;
}

class Versioned {
  @ApiProperty({
    example: 0,
    minimum: 0,
    description: 'the return version you read (0 before the first submission)',
  })
  @IsInt()
  @Min(0)
  version: number;
}

export class SubmitReturnDto extends Versioned {
  @ApiPropertyOptional({
    description: 'name (and role) on the sign-off; default: your display name',
  })
  @IsOptional()
  @IsString()
  @Matches(/\S/, { message: 'signedOffName must not be blank' })
  @MaxLength(200)
  signedOffName?: string;
  @ApiPropertyOptional({ description: 'why it is sent again (resubmission)' })
  @IsOptional()
  @IsString()
  @MaxLength(4000)
  reason?: string;
}

export class AcceptReturnDto extends Versioned {
  @ApiPropertyOptional({ description: 'a note on the acceptance' })
  @IsOptional()
  @IsString()
  @MaxLength(4000)
  reason?: string;
}

export class ReturnReturnDto extends Versioned {
  @IsReason('why the return goes back to the force: what to correct') reason: string;
}
