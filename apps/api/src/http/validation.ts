import { normaliseOffenceCode } from '#libs/catalogue/core';
import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateBy,
  ValidateIf,
  type ValidationArguments,
} from 'class-validator';
import { parseFinancialYear } from '#libs/recording-rules/core';

// Composite validators for repeated field shapes (style.md §8).
export const IsTimestamp = (description: string, optional = false) =>
  applyDecorators(
    optional
      ? ApiPropertyOptional({
          type: String,
          format: 'date-time',
          description,
          example: '2018-05-01T12:00:00Z',
          nullable: true,
        })
      : ApiProperty({
          type: String,
          format: 'date-time',
          description,
          example: '2018-05-01T12:00:00Z',
        }),
    ...(optional ? [ValidateIf((_: unknown, v: unknown) => v !== null && v !== undefined)] : []),
    IsISO8601({ strict: true, strictSeparator: true }),
    // A timestamp without an offset is ambiguous across BST: require Z or +hh:mm.
    Matches(/(Z|[+-]\d\d:\d\d)$/, { message: '$property must include a UTC offset (Z or +hh:mm)' }),
  );

export const IsForceId = (optional = false) =>
  applyDecorators(
    optional
      ? ApiPropertyOptional({ example: 'derbyshire' })
      : ApiProperty({ example: 'derbyshire', description: 'data.police.uk force id' }),
    ...(optional ? [IsOptional()] : []),
    IsString(),
    Matches(/^[a-z][a-z-]{1,39}$/, {
      message: '$property must be a force id such as "derbyshire"',
    }),
  );

// Codes are taken as forces write them ('86/02', '19c') and stored in the catalogue's spelling ('86/2', '19C'),
// so the database's reference check and the returns see one code. '.' is part of codes such as 4.10 and 37.1.
export const IsOffenceCode = () =>
  applyDecorators(
    ApiProperty({
      example: '71/17',
      description:
        "Home Office offence class / sub-code; zero-padded forms such as '86/02' are read as '86/2'",
    }),
    Transform(({ value }: { value: unknown }) =>
      typeof value === 'string' ? normaliseOffenceCode(value) : value,
    ),
    IsString(),
    Matches(/^[0-9A-Za-z][0-9A-Za-z/._-]{0,15}$/, {
      message: '$property must be a Home Office offence code such as "19C", "71/17" or "4.10"',
    }),
  );

export const REASON_MAX_LENGTH = 4000;
export const IsReason = (description: string) =>
  applyDecorators(
    ApiProperty({ description }),
    IsString(),
    Matches(/\S/, { message: '$property must not be blank' }),
    MaxLength(REASON_MAX_LENGTH),
  );

export const IsOneOf = (values: readonly string[], optional = false) =>
  applyDecorators(
    optional ? ApiPropertyOptional({ enum: values }) : ApiProperty({ enum: values }),
    ...(optional ? [IsOptional()] : []),
    IsIn(values),
  );

// A username as the users table allows it (ck_users_username).
export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]{2,63}$/;
export const IsUsername = (description: string, optional = false) =>
  applyDecorators(
    optional ? ApiPropertyOptional({ description }) : ApiProperty({ description }),
    ...(optional ? [IsOptional()] : []),
    IsString(),
    Matches(USERNAME_PATTERN, {
      message: '$property must be a username such as "jsmith.derbyshire"',
    }),
  );

// Not a year: the transform leaves this for the validator, which answers why (a 400).
class NotAYear {
  constructor(readonly problem: string) {}
}
const YEAR_SHAPE = /^\d{4}-\d{2}$/;

function readYear(value: unknown, as: 'number' | 'text'): unknown {
  if (value === undefined || value === null) return value;
  // The message echoes a value only once it has the year's shape (a few characters, never hostile text).
  if (typeof value !== 'string' || !YEAR_SHAPE.test(value))
    return new NotAYear('must look like 2015-16');
  try {
    const start = parseFinancialYear(value);
    return as === 'number' ? start : value;
  } catch (e) {
    return new NotAYear(
      `: ${e instanceof Error ? e.message : `invalid financial year '${value}'`}`,
    );
  }
}

// Every financial year the API accepts ('2015-16'): the shape, a year with a period (9999-00 has none) and the
// right second half, else a 400 that says which. It arrives as its start year (2015), or as the checked text
// (as: 'text', for services that take the label). Whether the year has flag figures (422 CF-YEAR-001) is the
// services' rule, not this shape check.
export const IsFinancialYear = (
  options: {
    optional?: boolean;
    as?: 'number' | 'text';
    example?: string;
    description?: string;
  } = {},
) => {
  const doc = {
    type: String,
    example: options.example ?? '2015-16',
    description: options.description ?? 'financial year, 1 April to 31 March',
  };
  return applyDecorators(
    options.optional ? ApiPropertyOptional(doc) : ApiProperty(doc),
    ...(options.optional ? [IsOptional()] : []),
    Transform(({ value }: { value: unknown }) => readYear(value, options.as ?? 'number')),
    ValidateBy({
      name: 'isFinancialYear',
      validator: {
        validate: (v: unknown) =>
          typeof v === ((options.as ?? 'number') === 'number' ? 'number' : 'string'),
        defaultMessage: (args?: ValidationArguments) => {
          const v = args?.value as unknown;
          const problem = v instanceof NotAYear ? v.problem : 'must look like 2015-16';
          return `${args?.property ?? 'year'}${problem.startsWith(':') ? '' : ' '}${problem}`;
        },
      },
    }),
  );
};

// A whole number in a query string or path (limits, cursors, revision numbers): converted with
// @Type(() => Number), then checked, with one message that gives the range.
export const IsWholeNumber = (
  name: string,
  min: number,
  max: number,
  doc: { default?: number; description?: string; example?: string; optional?: boolean } = {},
) => {
  const message = `${name} must be a whole number from ${min} to ${max}`;
  const { optional = true, ...api } = doc;
  return applyDecorators(
    optional
      ? ApiPropertyOptional({ type: 'integer', minimum: min, maximum: max, ...api })
      : ApiProperty({ type: 'integer', minimum: min, maximum: max, ...api }),
    ...(optional ? [IsOptional()] : []),
    Type(() => Number),
    IsInt({ message }),
    Min(min, { message }),
    Max(max, { message }),
  );
};
