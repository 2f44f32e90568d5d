// The import format: columns, and the mapping of one row to a crime (or to coded field errors).
// docs/import-format.md documents it; libs/imports/schema/crime-import.schema.json publishes it.
import type { RecordCrimeInput } from '#libs/crimes';
import { CRIME_FIELDS, type CrimeFieldColumn } from '#libs/crimes/core';
import { normaliseOffenceCode } from '#libs/catalogue/core';
import { ALL_RULES, TEXT_LIMITS } from '#libs/recording-rules/core';
import type { ImportError } from './import-error.js';
import {
  readAge,
  readBoolean,
  readCrimeReference,
  readHateStrands,
  readList,
  readOnlineFlag,
  readOptionalText,
  readRequiredText,
  readStatus,
  readTimestamp,
  readVictimSex,
  type Problems,
} from './import-values.js';

// The columns come from the crime's field list (libs/crimes, crime-fields.ts), plus the import's own
// `acknowledge`. Every file has the required columns (values may be empty where the format allows); the optional
// ones may be left out, and an absent column reads as empty.
export type ImportColumn = CrimeFieldColumn | 'acknowledge';
export const REQUIRED_COLUMNS: readonly ImportColumn[] = CRIME_FIELDS.filter(
  (c) => c.importColumn === 'required',
).map((c) => c.column);
export const OPTIONAL_COLUMNS: readonly ImportColumn[] = [
  ...CRIME_FIELDS.filter((c) => c.importColumn === 'optional').map((c) => c.column),
  'acknowledge',
];
export const IMPORT_COLUMNS: readonly ImportColumn[] = [...REQUIRED_COLUMNS, ...OPTIONAL_COLUMNS];

// One row as read from the file, before typing: strings from CSV, JSON values from NDJSON.
export type RawImportRow = Partial<Record<ImportColumn, unknown>>;
// One row in the CSV column form (what the demo generator produces): every column, '' for empty.
export type ImportRowObject = Record<ImportColumn, string>;

// A typed import row is exactly what the API records (libs/crimes), so the same rule facts and the same
// checks apply; `acknowledge` holds 'confirm'-severity rule codes the force has accepted.
export type ImportedCrime = RecordCrimeInput;

export interface RowReading {
  crimeReference: string | null; // as found (trimmed), for the report even when invalid
  forceId: string | null;
  crime?: ImportedCrime;
  errors: ImportError[];
}

const RULE_CODES: ReadonlySet<string> = new Set(ALL_RULES.map((r) => r.code));

// Forces' spellings ('86/02', '19c') are stored in the catalogue's ('86/2', '19C').
function readOffenceCode(raw: unknown, p: Problems): string | undefined {
  const code = readRequiredText(raw, 'offence_code', p);
  return code === undefined ? undefined : normaliseOffenceCode(code);
}

// Maps one raw row. All fields are read, so the report lists every problem of the row at once.
export function readImportRow(raw: RawImportRow): RowReading {
  const p: Problems = [];
  const crime = {
    crimeReference: readCrimeReference(raw.crime_reference, 'crime_reference', p),
    forceId: readRequiredText(raw.force_id, 'force_id', p)?.toLowerCase(),
    offenceCode: readOffenceCode(raw.offence_code, p),
    status: readStatus(raw.status, 'status', p),
    reportedAt: readTimestamp(raw.reported_at, 'reported_at', p, true),
    recordedAt: readTimestamp(raw.recorded_at, 'recorded_at', p, true),
    offenceFrom: readTimestamp(raw.offence_from, 'offence_from', p, true),
    offenceTo: readTimestamp(raw.offence_to, 'offence_to', p, false),
    onlineFlag: readOnlineFlag(raw.online_flag, 'online_flag', p),
    onlineMethod: readOptionalText(raw.online_method, 'online_method', p, TEXT_LIMITS.onlineMethod),
    onlinePlatform: readOptionalText(
      raw.online_platform,
      'online_platform',
      p,
      TEXT_LIMITS.onlinePlatform,
    ),
    victimAge: readAge(raw.victim_age, 'victim_age', p),
    victimSex: readVictimSex(raw.victim_sex, 'victim_sex', p),
    suspectAge: readAge(raw.suspect_age, 'suspect_age', p),
    domesticAbuse: readBoolean(raw.domestic_abuse, 'domestic_abuse', p),
    hateStrands: readHateStrands(raw.hate_strands, 'hate_strands', p),
    childSexualExploitation: readBoolean(
      raw.child_sexual_exploitation,
      'child_sexual_exploitation',
      p,
    ),
    childSexualAbuse: readBoolean(raw.child_sexual_abuse, 'child_sexual_abuse', p),
    acknowledge: readAcknowledge(raw.acknowledge, p),
  };
  const reading: RowReading = {
    crimeReference: identifier(raw.crime_reference),
    forceId: identifier(raw.force_id)?.toLowerCase() ?? null,
    errors: p,
  };
  // Every reader returned a value exactly when it pushed no error.
  if (p.length === 0) reading.crime = crime as ImportedCrime;
  return reading;
}

function identifier(raw: unknown): string | null {
  return typeof raw === 'string' && raw.trim() !== '' ? raw.trim() : null;
}

function readAcknowledge(raw: unknown, p: Problems): string[] | undefined {
  const codes = readList(raw, 'acknowledge', p)?.map((c) => c.toUpperCase());
  if (codes === undefined || codes.length === 0) return codes;
  const unknown = codes.filter((c) => !RULE_CODES.has(c));
  if (unknown.length === 0) return [...new Set(codes)];
  p.push({
    code: 'IMP-FIELD-012',
    field: 'acknowledge',
    message: `acknowledge: unknown rule code(s) ${unknown.join(', ')}`,
  });
  return undefined;
}
