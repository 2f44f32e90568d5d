// Test support: a valid import row (the recording-rules baseline crime, as import columns), CSV and
// NDJSON builders, and stream helpers.
import { csvDataRecord } from '#libs/csv';
import { IMPORT_COLUMNS, type ImportColumn, type ImportRowObject } from '../import-row.js';

export function validRow(patch: Partial<ImportRowObject> = {}): ImportRowObject {
  return {
    crime_reference: 'DBY-2018-000123',
    force_id: 'derbyshire',
    offence_code: '71/17',
    reported_at: '2018-05-01T10:00:00Z',
    recorded_at: '2018-05-01T12:00:00Z',
    offence_from: '2018-04-20T18:00:00Z',
    offence_to: '2018-04-25T18:00:00Z',
    online_flag: 'Y',
    online_method: 'messages sent from a smartphone via a social media app',
    victim_age: '14',
    victim_sex: 'female',
    status: 'confirmed',
    online_platform: 'social media app',
    suspect_age: '30',
    domestic_abuse: 'N',
    hate_strands: '',
    child_sexual_exploitation: '0',
    child_sexual_abuse: 'false',
    acknowledge: '',
    ...patch,
  };
}

export function csvText(
  rows: Partial<ImportRowObject>[],
  columns: readonly ImportColumn[] = IMPORT_COLUMNS,
): string {
  const lines = [csvDataRecord(columns)];
  for (const r of rows) lines.push(csvDataRecord(columns.map((c) => r[c] ?? '')));
  return lines.join('');
}

export function ndjsonText(rows: object[]): string {
  return rows.map((r) => `${JSON.stringify(r)}\n`).join('');
}

// Splits text or bytes into chunks of `size` bytes (to exercise chunk boundaries).
export async function* chunked(data: string | Buffer, size = 7): AsyncGenerator<Buffer> {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

export async function collect<T>(source: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of source) items.push(item);
  return items;
}

// The error a promise rejects with (fails the test if it resolves).
export async function rejection(
  promise: Promise<unknown>,
): Promise<Error & { code?: string; details?: Record<string, unknown> }> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}
