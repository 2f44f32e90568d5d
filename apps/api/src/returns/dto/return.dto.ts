import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Matches, MaxLength, Min } from 'class-validator';
import {
  EXPORT_FORMATS,
  EXPORT_TABLE_KEYS,
  type ExportFormat,
  type ExportTableKey,
} from '#libs/returns';
import { IsForceId, IsReason } from '../../http/validation.js';

const YEAR = /^\d{4}-\d{2}$/;
const REVISION = /^[1-9]\d{0,5}$/;

export class YearParams {
  @ApiProperty({
    example: '2015-16',
    description:
      'financial year, 1 April to 31 March (2015-16 or later: the flag started on 1 April 2015)',
  })
  @Matches(YEAR, { message: 'year must look like 2015-16' })
  year: string;
}

export class ReturnParams extends YearParams {
  @IsForceId() force: string;
}

export class RevisionParams extends ReturnParams {
  @ApiProperty({ example: '1' })
  @Matches(REVISION, { message: 'rev must be a revision number from 1' })
  rev: string;
}

export class DiffParams extends ReturnParams {
  @ApiProperty({ example: '2', description: 'the newer revision' })
  @Matches(REVISION, { message: 'a must be a revision number' })
  a: string;
  @ApiProperty({ example: '1', description: 'the revision to compare with (old values)' })
  @Matches(REVISION, { message: 'b must be a revision number' })
  b: string;
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
  @ApiPropertyOptional({
    description: 'with format=: export a submitted revision, e.g. 1 (default: the live draft)',
  })
  @IsOptional()
  @Matches(REVISION, { message: 'revision must be a revision number from 1' })
  revision?: string;
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
