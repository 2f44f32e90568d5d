// Import error codes. They are shape and file errors, distinct from the recording-rule codes (CF-*):
// a row is first read (IMP-FIELD / IMP-ROW), then scoped and de-duplicated (IMP-SCOPE / IMP-DUP),
// then checked by the rules engine. File-level errors (IMP-FILE) stop the whole import.

export const FILE_ERRORS = {
  'IMP-FILE-001': 'empty file',
  'IMP-FILE-002': 'wrong, missing or duplicate header columns',
  'IMP-FILE-003': 'not UTF-8',
  'IMP-FILE-004': 'malformed CSV',
  'IMP-FILE-005': 'record or field over the size limit',
  'IMP-FILE-006': 'malformed NDJSON line',
  'IMP-FILE-007': 'NUL byte in the file',
  'IMP-FILE-008': 'CSV lines end with CR alone',
} as const;
export type FileErrorCode = keyof typeof FILE_ERRORS;

export const ROW_ERRORS = {
  'IMP-ROW-001': 'wrong number of fields in a CSV record',
  'IMP-ROW-002': 'unknown property in an NDJSON object',
  'IMP-ROW-003': 'required property missing from an NDJSON object',
  'IMP-FIELD-001': 'invalid date or date-time',
  'IMP-FIELD-002': 'date-time without a UTC offset',
  'IMP-FIELD-003': 'required value is empty',
  'IMP-FIELD-004': 'invalid online flag',
  'IMP-FIELD-005': 'invalid boolean',
  'IMP-FIELD-006': 'invalid age',
  'IMP-FIELD-007': 'invalid victim sex',
  'IMP-FIELD-008': 'invalid or non-importable status',
  'IMP-FIELD-009': 'invalid hate-crime strand',
  'IMP-FIELD-010': 'invalid crime reference',
  'IMP-FIELD-011': 'invalid value type',
  'IMP-FIELD-012': 'unknown rule code in acknowledge',
  'IMP-FIELD-013': 'text longer than the field allows',
  'IMP-FIELD-014': 'NUL character (\\u0000) in a value',
  'IMP-SCOPE-001': "force outside the importer's scope",
  'IMP-DUP-001': 'crime reference repeated in the same file and force',
} as const;
export type RowErrorCode = keyof typeof ROW_ERRORS;

// One problem with one row. `field` names the import column when there is one.
export interface ImportError {
  code: RowErrorCode;
  message: string;
  field?: string;
}

export interface ImportFileErrorDetails {
  line?: number; // 1-based source line the problem was found on
  byteOffset?: number; // 0-based byte offset in the file (IMP-FILE-003)
  missing?: string[]; // IMP-FILE-002
  unknown?: string[];
  duplicated?: string[];
  limitBytes?: number; // IMP-FILE-005
}

// A problem with the file as a whole: nothing from it may be loaded.
export class ImportFileError extends Error {
  override readonly name = 'ImportFileError';

  constructor(
    readonly code: FileErrorCode,
    message: string,
    readonly details: ImportFileErrorDetails = {},
    options?: { cause?: unknown },
  ) {
    super(`${code} ${message}`, options);
  }
}

export const emptyFileError = (
  why = 'expected a header row and at least one data row',
): ImportFileError => new ImportFileError('IMP-FILE-001', `file is empty: ${why}`);
