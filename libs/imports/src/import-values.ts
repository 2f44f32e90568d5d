// Readers for single import values. CSV gives strings; NDJSON gives JSON values, so each reader also
// accepts the natural JSON type (number for ages, boolean for flags, array for lists) and null.
// Every reader returns the value, or pushes a coded error and returns undefined.
import {
  HATE_STRANDS,
  londonMidnight,
  type HateStrand,
  type OnlineFlag,
  type VictimSex,
} from '#libs/recording-rules/core';
import type { ImportError, RowErrorCode } from './import-error.js';

export type Problems = ImportError[];

const fail = (
  problems: Problems,
  code: RowErrorCode,
  field: string,
  message: string,
): undefined => {
  problems.push({ code, field, message: `${field}: ${message}` });
  return undefined;
};

const show = (value: unknown): string => {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 40 ? `'${text.slice(0, 40)}…'` : `'${text}'`;
};

// '' for an absent, null or blank value; the trimmed string otherwise; undefined for a wrong JSON type.
export function readText(raw: unknown, field: string, problems: Problems): string | undefined {
  if (raw === undefined || raw === null) return '';
  if (typeof raw === 'string') return raw.trim();
  return fail(problems, 'IMP-FIELD-011', field, `expected a string, got ${show(raw)}`);
}

export function readRequiredText(
  raw: unknown,
  field: string,
  problems: Problems,
): string | undefined {
  const text = readText(raw, field, problems);
  if (text === '') return fail(problems, 'IMP-FIELD-003', field, 'a value is required');
  return text;
}

export function readOptionalText(
  raw: unknown,
  field: string,
  problems: Problems,
  maxLength = Infinity,
): string | null | undefined {
  const text = readText(raw, field, problems);
  if (text !== undefined && text.length > maxLength) {
    return fail(
      problems,
      'IMP-FIELD-013',
      field,
      `${field} is ${text.length} characters long; at most ${maxLength} are allowed`,
    );
  }
  return text === '' ? null : text;
}

// Mirrors ck_crimes_reference, so a bad reference is a row error here rather than a failed COPY later.
const CRIME_REFERENCE = /^[A-Za-z0-9][A-Za-z0-9/_.:-]{0,63}$/;

export function readCrimeReference(
  raw: unknown,
  field: string,
  problems: Problems,
): string | undefined {
  const text = readRequiredText(raw, field, problems);
  if (text === undefined || CRIME_REFERENCE.test(text)) return text;
  return fail(
    problems,
    'IMP-FIELD-010',
    field,
    `${show(text)} is not a crime reference (1-64 characters: letters, digits and / _ . : -, starting with a letter or digit)`,
  );
}

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)?$/;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const daysIn = (year: number, month: number): number =>
  month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
    ? 29
    : DAYS_IN_MONTH[month - 1];

// The shape most extracts use, 'YYYY-MM-DDTHH:MM:SSZ', read without a regular expression (a third of the
// cost; the import reads three or four per row). Anything else, or anything out of range, returns null and
// goes the general way below, which also words every error.
const digit = (text: string, i: number): number => {
  const d = text.charCodeAt(i) - 48;
  return d >= 0 && d <= 9 ? d : NaN;
};
const two = (text: string, i: number): number => digit(text, i) * 10 + digit(text, i + 1);

function utcSeconds(text: string): Date | null {
  if (
    text.length !== 20 ||
    text[4] !== '-' ||
    text[7] !== '-' ||
    text[10] !== 'T' ||
    text[13] !== ':' ||
    text[16] !== ':' ||
    text[19] !== 'Z'
  )
    return null;
  const year = two(text, 0) * 100 + two(text, 2);
  const month = two(text, 5);
  const day = two(text, 8);
  const hour = two(text, 11);
  const minute = two(text, 14);
  const second = two(text, 17);
  // NaN (a non-digit) fails every comparison, so it falls through too.
  if (!(
    year >= 1900 &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysIn(year, month) &&
    hour <= 23 &&
    minute <= 59 &&
    second <= 59
  ))
    return null;
  return new Date(Date.UTC(year, month - 1, day, hour, minute, second));
}

// ISO 8601 / RFC 3339. A date-time must carry its UTC offset (Z, +01:00, +0100 or +01): a bare local
// time is ambiguous for an hour each October. A date alone means 00:00 Europe/London on that day.
export function readTimestamp(
  raw: unknown,
  field: string,
  problems: Problems,
  required: boolean,
): Date | null | undefined {
  const text = readText(raw, field, problems);
  if (text === undefined) return undefined;
  if (text === '')
    return required
      ? fail(problems, 'IMP-FIELD-003', field, 'a date or date-time is required')
      : null;
  const fast = utcSeconds(text);
  if (fast !== null) return fast;
  const invalid = (why: string) =>
    fail(problems, 'IMP-FIELD-001', field, `invalid date in ${field}: ${show(text)} ${why}`);
  const dateOnly = DATE_ONLY.exec(text);
  const m = dateOnly ?? DATE_TIME.exec(text);
  if (!m)
    return invalid(
      'is not an ISO 8601 date (YYYY-MM-DD) or date-time (YYYY-MM-DDTHH:MM[:SS[.sss]]±HH:MM or Z)',
    );
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (year < 1900) return invalid('is before 1900');
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month))
    return invalid('is not a calendar date');
  if (dateOnly) return londonMidnight(year, month, day);
  const [hour, minute, second] = [Number(m[4]), Number(m[5]), Number(m[6] ?? 0)];
  if (hour > 23 || minute > 59 || second > 59) return invalid('has an impossible time of day');
  if (m[8] === undefined && m[9] === undefined) {
    return fail(
      problems,
      'IMP-FIELD-002',
      field,
      `${show(text)} has no UTC offset: add Z (UTC) or the local offset, e.g. +01:00 in British Summer Time`,
    );
  }
  const [offsetHours, offsetMinutes] = [Number(m[10] ?? 0), Number(m[11] ?? 0)];
  if (offsetHours > 23 || offsetMinutes > 59) return invalid('has an impossible UTC offset');
  const sign = m[9] === '-' ? -1 : 1;
  const millis = Number((m[7] ?? '').padEnd(3, '0').slice(0, 3));
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  return new Date(utc - sign * (offsetHours * 60 + offsetMinutes) * 60_000);
}

const FLAGS: Record<string, OnlineFlag> = {
  y: 'yes',
  yes: 'yes',
  n: 'no',
  no: 'no',
  u: 'unknown',
  unknown: 'unknown',
};

// Required and explicit: an empty cell is not 'unknown' (no silent default for the flag, style.md §11).
export function readOnlineFlag(
  raw: unknown,
  field: string,
  problems: Problems,
): OnlineFlag | undefined {
  const text = readRequiredText(raw, field, problems);
  if (text === undefined) return undefined;
  return (
    FLAGS[text.toLowerCase()] ??
    fail(problems, 'IMP-FIELD-004', field, `${show(text)} is not Y, N, U, yes, no or unknown`)
  );
}

const BOOLEANS: Record<string, boolean> = {
  true: true,
  false: false,
  y: true,
  n: false,
  yes: true,
  no: false,
  '1': true,
  '0': false,
};

// Explicit values only ('false' can never become true); empty or absent means false.
export function readBoolean(raw: unknown, field: string, problems: Problems): boolean | undefined {
  if (typeof raw === 'boolean') return raw;
  if (raw === 0 || raw === 1) return raw === 1;
  const text = readText(raw, field, problems);
  if (text === undefined) return undefined;
  if (text === '') return false;
  return (
    BOOLEANS[text.toLowerCase()] ??
    fail(problems, 'IMP-FIELD-005', field, `${show(text)} is not true, false, Y, N, 1 or 0`)
  );
}

// Whole years; the range (0..120) is the rules' business (CF-AGE-006). Three digits at most keeps
// any value inside the database's smallint.
export function readAge(
  raw: unknown,
  field: string,
  problems: Problems,
): number | null | undefined {
  if (typeof raw === 'number') {
    if (Number.isInteger(raw) && raw >= 0 && raw <= 999) return raw;
    return fail(problems, 'IMP-FIELD-006', field, `${show(raw)} is not a whole number of years`);
  }
  const text = readText(raw, field, problems);
  if (text === undefined) return undefined;
  if (text === '') return null;
  if (/^\d{1,3}$/.test(text)) return Number(text);
  return fail(problems, 'IMP-FIELD-006', field, `${show(text)} is not a whole number of years`);
}

const SEXES: Record<string, VictimSex> = {
  female: 'female',
  f: 'female',
  male: 'male',
  m: 'male',
  unknown: 'unknown',
  u: 'unknown',
};

export function readVictimSex(
  raw: unknown,
  field: string,
  problems: Problems,
): VictimSex | undefined {
  const text = readRequiredText(raw, field, problems);
  if (text === undefined) return undefined;
  return (
    SEXES[text.toLowerCase()] ??
    fail(problems, 'IMP-FIELD-007', field, `${show(text)} is not female, male or unknown (F, M, U)`)
  );
}

// Cancelled and transferred records are not importable: removing a crime needs a reason category,
// the AVI justification and the Force Crime Registrar's decision (R16), which only the API path records.
export function readStatus(
  raw: unknown,
  field: string,
  problems: Problems,
): 'draft' | 'confirmed' | undefined {
  const text = readRequiredText(raw, field, problems);
  if (text === undefined) return undefined;
  const status = text.toLowerCase();
  if (status === 'draft' || status === 'confirmed') return status;
  if (status === 'cancelled' || status === 'transferred') {
    return fail(
      problems,
      'IMP-FIELD-008',
      field,
      `${status} records cannot be imported: cancellation and transfer go through the Force Crime Registrar (POST /crimes/:id/cancel or /transfer)`,
    );
  }
  return fail(problems, 'IMP-FIELD-008', field, `${show(text)} is not draft or confirmed`);
}

// A semicolon-separated list ('race;religion'), or a JSON array of strings. Blank items are dropped.
export function readList(raw: unknown, field: string, problems: Problems): string[] | undefined {
  if (Array.isArray(raw)) {
    if (raw.every((item) => typeof item === 'string'))
      return raw.map((s) => s.trim()).filter((s) => s !== '');
    return fail(problems, 'IMP-FIELD-011', field, 'expected a list of strings');
  }
  const text = readText(raw, field, problems);
  if (text === undefined) return undefined;
  if (text === '') return []; // most rows: no list at all, and no arrays to build and drop
  return text
    .split(';')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

// Duplicates are kept: CF-HATE-001 reports them, as for any other recording path.
export function readHateStrands(
  raw: unknown,
  field: string,
  problems: Problems,
): HateStrand[] | undefined {
  const items = readList(raw, field, problems);
  if (items === undefined || items.length === 0) return items as HateStrand[] | undefined;
  const strands = items.map((s) => s.toLowerCase().replace(/[\s-]+/g, '_'));
  const allowed: readonly string[] = HATE_STRANDS;
  const unknown = strands.filter((s) => !allowed.includes(s));
  if (unknown.length > 0) {
    return fail(
      problems,
      'IMP-FIELD-009',
      field,
      `unknown strand(s) ${unknown.map(show).join(', ')}; allowed: ${HATE_STRANDS.join(';')}`,
    );
  }
  return strands as HateStrand[];
}
