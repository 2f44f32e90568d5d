import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { londonParts, londonWallTime, HATE_STRANDS, TEXT_LIMITS } from '#libs/recording-rules';
import { AmendCrimeDto } from '../crimes/dto/amend-crime.dto.js';
import { CreateCrimeDto } from '../crimes/dto/create-crime.dto.js';
import { MAX_AGE } from '../crimes/dto/crime-fields.dto.js';
import { REASON_MAX_LENGTH } from '../http/validation.js';
import type { ErrorItem } from './web-page.js';

// The crime form: GOV.UK date inputs (day, month, year) plus a time, in UK local time, turned into the API's
// request shape and checked by the same DTO classes as the API, so a field that the API would refuse is refused
// here with the same rule, next to the field.
export const DATE_FIELDS = [
  { name: 'reportedAt', label: 'Date reported', required: true },
  { name: 'recordedAt', label: 'Date recorded', required: true },
  { name: 'offenceFrom', label: 'Offence date (or start of the period)', required: true },
  { name: 'offenceTo', label: 'End of the offence period', required: false },
] as const;

export interface FormResult<T> {
  value: T;
  errors: Record<string, string>;
}

type Body = Record<string, unknown>;
const str = (v: unknown): string => (typeof v === 'string' ? v.trim() : '');

function dateTime(
  body: Body,
  name: string,
  label: string,
  required: boolean,
  errors: Record<string, string>,
): string | null | undefined {
  const [d, m, y, t] = ['day', 'month', 'year', 'time'].map((p) => str(body[`${name}-${p}`]));
  if (!d && !m && !y && !t) {
    if (required) errors[name] = `Enter the ${label.toLowerCase()}`;
    return required ? undefined : null;
  }
  const time = /^(\d{1,2})[:.](\d{2})$/.exec(t || '00:00');
  const [day, month, year] = [Number(d), Number(m), Number(y)];
  if (!/^\d{1,2}$/.test(d) || !/^\d{1,2}$/.test(m) || !/^\d{4}$/.test(y) || !time) {
    errors[name] = `${label} must be a real date, with a time like 14:30 if you give one`;
    return undefined;
  }
  const probe = new Date(Date.UTC(year, month - 1, day));
  const [h, min] = [Number(time[1]), Number(time[2])];
  if (probe.getUTCDate() !== day || probe.getUTCMonth() !== month - 1 || h > 23 || min > 59) {
    errors[name] = `${label} must be a real date and time`;
    return undefined;
  }
  return londonWallTime(year, month, day, h, min).toISOString();
}

function age(
  body: Body,
  name: string,
  errors: Record<string, string>,
  label: string,
): number | null | undefined {
  const v = str(body[name]);
  if (v === '') return null;
  if (!/^\d{1,3}$/.test(v)) {
    errors[name] = `${label} must be a whole number of years, or left empty if not known`;
    return undefined;
  }
  // The DTO's range, said here in the form's words rather than class-validator's.
  if (Number(v) > MAX_AGE) {
    errors[name] = `${label} must be between 0 and ${MAX_AGE}, or left empty if not known`;
    return undefined;
  }
  return Number(v);
}

const list = (v: unknown): string[] =>
  Array.isArray(v) ? v.map(String) : typeof v === 'string' && v ? [v] : [];

// The facts of the form, as the API's JSON body would carry them (undefined: not given).
export function formFacts(body: Body, errors: Record<string, string>): Record<string, unknown> {
  const facts: Record<string, unknown> = {};
  for (const f of DATE_FIELDS) facts[f.name] = dateTime(body, f.name, f.label, f.required, errors);
  facts.onlineFlag = str(body.onlineFlag) || undefined;
  if (!facts.onlineFlag)
    errors.onlineFlag = 'Select whether the crime was committed online, in full or in part';
  facts.onlineMethod = str(body.onlineMethod) || null;
  facts.onlinePlatform = str(body.onlinePlatform) || null;
  facts.victimAge = age(body, 'victimAge', errors, 'Victim age');
  facts.victimSex = str(body.victimSex) || undefined;
  if (!facts.victimSex) errors.victimSex = 'Select the victim’s sex, or “Not known”';
  facts.suspectAge = age(body, 'suspectAge', errors, 'Suspect age');
  const flags = list(body.flags);
  facts.domesticAbuse = flags.includes('domesticAbuse');
  facts.childSexualExploitation = flags.includes('childSexualExploitation');
  facts.childSexualAbuse = flags.includes('childSexualAbuse');
  facts.hateStrands = list(body.hateStrands).filter((s) =>
    (HATE_STRANDS as readonly string[]).includes(s),
  );
  return facts;
}

export function acknowledged(body: Body): string[] {
  return list(body.acknowledge).filter((c) => /^CF-[A-Z]+-\d{3}$/.test(c));
}

// class-validator's messages, keyed by field, for the fields not already in error.
function addDtoErrors(errors: Record<string, string>, found: ValidationError[]): void {
  for (const e of found) if (!errors[e.property]) errors[e.property] = formMessage(e);
}

// What the form calls its fields, for class-validator's messages (which start with the property's name).
const FIELD_LABELS: Record<string, string> = {
  forceId: 'Force',
  crimeReference: 'Crime reference',
  offenceCode: 'Home Office offence code',
  incidentReference: 'Incident reference',
  onlineMethod: 'How a computer, network or device was used',
  onlinePlatform: 'Platform or app',
  victimAge: 'Victim age',
  suspectAge: 'Suspect age',
  reason: 'The reason',
};

const TEXT_MAX_LENGTHS: Record<string, number> = { ...TEXT_LIMITS, reason: REASON_MAX_LENGTH };

// A GOV.UK error message: the field's label, not its property name; a text limit as "N characters or fewer".
export function formMessage(e: ValidationError): string {
  const label = FIELD_LABELS[e.property] ?? e.property;
  const limit = TEXT_MAX_LENGTHS[e.property];
  if (e.constraints?.maxLength && limit !== undefined)
    return `${label} must be ${limit.toLocaleString('en-GB')} characters or fewer`;
  const first = Object.values(e.constraints ?? {})[0];
  if (first === undefined) return `${label} is not valid`;
  return first.startsWith(`${e.property} `) ? label + first.slice(e.property.length) : first;
}

export function parseCreateForm(body: Body): FormResult<CreateCrimeDto> {
  const errors: Record<string, string> = {};
  const plain = {
    forceId: str(body.forceId),
    crimeReference: str(body.crimeReference),
    offenceCode: str(body.offenceCode).toUpperCase(),
    incidentReference: str(body.incidentReference) || undefined,
    status: str(body.status) || 'draft',
    ...formFacts(body, errors),
    acknowledge: acknowledged(body),
  };
  if (!plain.crimeReference) errors.crimeReference = 'Enter the crime reference';
  if (!plain.offenceCode)
    errors.offenceCode = 'Enter the Home Office offence code, for example 71/17';
  const clean = Object.fromEntries(Object.entries(plain).filter(([, v]) => v !== undefined));
  const dto = plainToInstance(CreateCrimeDto, clean);
  addDtoErrors(errors, validateSync(dto, { whitelist: true }));
  return { value: dto, errors };
}

export function parseAmendForm(body: Body): FormResult<AmendCrimeDto> {
  const errors: Record<string, string> = {};
  const plain = {
    ...formFacts(body, errors),
    version: Number(str(body.version)),
    reason: str(body.reason),
    acknowledge: acknowledged(body),
  };
  if (!plain.reason) errors.reason = 'Enter why the record is amended';
  const clean = Object.fromEntries(Object.entries(plain).filter(([, v]) => v !== undefined));
  const dto = plainToInstance(AmendCrimeDto, clean);
  addDtoErrors(errors, validateSync(dto, { whitelist: true }));
  return { value: dto, errors };
}

export function errorList(errors: Record<string, string>): ErrorItem[] {
  return Object.entries(errors).map(([k, text]) => ({
    text,
    href: `#${DATE_FIELDS.some((f) => f.name === k) ? `${k}-day` : k}`,
  }));
}

// The form's values from a stored record (dates back into UK local day, month, year and time).
export function formValues(crime: Record<string, unknown>): Record<string, unknown> {
  const v: Record<string, unknown> = { ...crime };
  for (const f of DATE_FIELDS) {
    const d = crime[f.name];
    if (!(d instanceof Date) && typeof d !== 'string') continue;
    const p = londonParts(new Date(d));
    Object.assign(v, {
      [`${f.name}-day`]: String(p.day),
      [`${f.name}-month`]: String(p.month),
      [`${f.name}-year`]: String(p.year),
      [`${f.name}-time`]: `${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}`,
    });
  }
  v.flags = ['domesticAbuse', 'childSexualExploitation', 'childSexualAbuse'].filter(
    (k) => crime[k] === true,
  );
  return v;
}
