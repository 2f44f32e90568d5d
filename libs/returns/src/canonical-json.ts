import { createHash } from 'node:crypto';

// Canonical JSON for hashing a return: object keys sorted (by UTF-16 code units, as Array.sort),
// no whitespace, arrays in their given order. Same data → same text → same SHA-256, whatever
// order the keys were built in. Values follow JSON.stringify (toJSON honoured, undefined
// properties left out), except that what JSON cannot carry faithfully is refused rather than
// silently turned into null: NaN and ±Infinity, undefined in an array, bigint, functions.
export function canonicalJson(value: unknown): string {
  return write(value, '$');
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function write(value: unknown, path: string): string {
  const v = hasToJson(value) ? value.toJSON() : value;
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number') {
    if (!Number.isFinite(v))
      throw new TypeError(`canonicalJson: ${v} at ${path} is not a JSON number`);
    return JSON.stringify(v);
  }
  if (Array.isArray(v)) {
    return `[${v
      .map((item, i) => {
        if (item === undefined) throw new TypeError(`canonicalJson: undefined at ${path}[${i}]`);
        return write(item, `${path}[${i}]`);
      })
      .join(',')}]`;
  }
  if (typeof v === 'object') {
    const entries = Object.keys(v)
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map(
        (k) => `${JSON.stringify(k)}:${write((v as Record<string, unknown>)[k], `${path}.${k}`)}`,
      );
    return `{${entries.join(',')}}`;
  }
  throw new TypeError(`canonicalJson: a ${typeof v} at ${path} cannot be written as JSON`);
}

function hasToJson(value: unknown): value is { toJSON: () => unknown } {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { toJSON?: unknown }).toJSON === 'function'
  );
}
