import { applyDecorators } from '@nestjs/common';
import type { Type } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiParam, getSchemaPath } from '@nestjs/swagger';

// Path ids checked by ParseUUIDPipe: documented as uuid, so the docs page's example is a UUID (which may name
// nothing: 404) rather than the word "string" (400).
export const ApiUuidParam = (...names: string[]) =>
  applyDecorators(...names.map((name) => ApiParam({ name, type: String, format: 'uuid' })));

// Deeply nested tables (returns, national figures) are documented by their top-level fields; below that they are
// free-form objects described in docs/return-format.md and docs/domain pages.
export const FreeForm = (description: string, nullable = false) =>
  ({
    type: 'object',
    additionalProperties: true,
    description,
    ...(nullable ? { nullable: true } : {}),
  }) as const;

export const DateTime = (description?: string, nullable = false) =>
  ({
    type: String,
    format: 'date-time',
    ...(description ? { description } : {}),
    ...(nullable ? { nullable: true } : {}),
  }) as const;

export const Nullable = (
  type: StringConstructor | NumberConstructor | BooleanConstructor | 'integer',
  description?: string,
) => ({ type, nullable: true, ...(description ? { description } : {}) }) as const;

export const FILE_TYPES = {
  csv: 'text/csv',
  zip: 'application/zip',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;

// A JSON view that ?format= turns into a download: the view's schema for JSON, the file types beside it.
export const ApiFileOrJson = (
  view: Type<unknown>,
  description: string,
  files: readonly string[] = Object.values(FILE_TYPES),
) =>
  applyDecorators(
    ApiExtraModels(view),
    ApiOkResponse({
      description,
      content: {
        'application/json': { schema: { $ref: getSchemaPath(view) } },
        ...Object.fromEntries(
          files.map((t) => [
            t,
            {
              schema:
                t === FILE_TYPES.csv ? { type: 'string' } : { type: 'string', format: 'binary' },
            },
          ]),
        ),
      },
    }),
  );

// A scope: the forces covered, or national.
export const FORCES_OR_ALL = {
  oneOf: [
    { type: 'array', items: { type: 'string' } },
    { type: 'string', enum: ['all'] },
  ],
  description: "the forces covered, or 'all' (national scope)",
};
