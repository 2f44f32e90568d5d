import { normaliseOffenceCode } from '#libs/catalogue/core';
import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsIn,
  IsISO8601,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateIf,
} from 'class-validator';

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

export const IsReason = (description: string) =>
  applyDecorators(
    ApiProperty({ description }),
    IsString(),
    Matches(/\S/, { message: '$property must not be blank' }),
    MaxLength(4000),
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
