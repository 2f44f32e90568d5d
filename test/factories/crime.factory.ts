import { randomUUID } from 'node:crypto';
import { CRIME_FIELDS, type NewCrimeInput } from '#libs/crimes';

// A valid, confirmed, online-flagged child sexual offence: the baseline each test mutates.
export function crimeBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    forceId: 'derbyshire',
    crimeReference: `T-${randomUUID().slice(0, 13)}`,
    offenceCode: '71/17',
    reportedAt: '2018-05-01T10:00:00Z',
    recordedAt: '2018-05-01T12:00:00Z',
    offenceFrom: '2018-04-20T18:00:00Z',
    offenceTo: '2018-04-28T18:00:00Z',
    onlineFlag: 'yes',
    onlineMethod: 'messages sent through a social media app',
    onlinePlatform: 'synthetic-chat-app',
    victimAge: 14,
    victimSex: 'female',
    suspectAge: 30,
    status: 'confirmed',
    ...overrides,
  };
}

// Crime bodies as an import file: CSV in the import format, column by column from CRIME_FIELDS.
function csvValue(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (Array.isArray(v)) return v.join(';');
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
export const crimesCsv = (rows: Record<string, unknown>[]): string =>
  [
    CRIME_FIELDS.map((f) => f.column).join(','),
    ...rows.map((r) => CRIME_FIELDS.map((f) => csvValue(r[f.key])).join(',')),
  ].join('\r\n') + '\r\n';

// crimeBody() as the recording service takes it (dates as Dates), for specs that call the service directly.
export function crimeInput(overrides: Record<string, unknown> = {}): NewCrimeInput {
  const body = crimeBody(overrides);
  const date = (k: string) => new Date(String(body[k]));
  return {
    ...(body as unknown as NewCrimeInput),
    incidentReference: null,
    reportedAt: date('reportedAt'),
    recordedAt: date('recordedAt'),
    offenceFrom: date('offenceFrom'),
    offenceTo: date('offenceTo'),
  };
}
