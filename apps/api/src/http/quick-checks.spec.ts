import { isISO8601 } from 'class-validator';
import fc from 'fast-check';
import { plainIsoTimestamp, quickerConstraint } from './quick-checks.js';

const STRICT = { strict: true, strictSeparator: true };
const reference = (v: unknown) => isISO8601(v, STRICT);

// Timestamps of the form clients send, with every field drawn from 00–99 (most out of range for some field), the
// optional parts present or not, and some of them spoilt one character at a time. Seeded: a failure names a value
// that the same seed makes again.
const two = fc.integer({ min: 0, max: 99 }).map((n) => String(n).padStart(2, '0'));
const mostlyIn = (lo: number, hi: number) =>
  fc.oneof(
    {
      weight: 4,
      arbitrary: fc.integer({ min: lo, max: hi }).map((n) => String(n).padStart(2, '0')),
    },
    { weight: 1, arbitrary: two },
  );
const timestamp = fc
  .record({
    year: fc.oneof(
      fc.constantFrom('2024', '2023', '2000', '1900', '0000', '0004', '2100', '1999'),
      fc.integer({ min: 1000, max: 9999 }).map(String),
    ),
    // Months and days mostly in range, so that the calendar check is what decides.
    month: mostlyIn(1, 12),
    day: mostlyIn(1, 31),
    hour: mostlyIn(0, 23),
    minute: mostlyIn(0, 59),
    seconds: fc.oneof(
      fc.constant(''),
      two.map((ss) => `:${ss}`),
      fc.tuple(two, fc.integer({ min: 0, max: 999 })).map(([ss, f]) => `:${ss}.${f}`),
      two.map((ss) => `:${ss},5`),
    ),
    zone: fc.oneof(
      { weight: 3, arbitrary: fc.constant('Z') },
      { weight: 1, arbitrary: fc.constantFrom('z', '', '+0100', '+01') },
      {
        weight: 2,
        arbitrary: fc
          .tuple(fc.constantFrom('+', '-'), mostlyIn(0, 23), mostlyIn(0, 59))
          .map(([sign, hh, mm]) => `${sign}${hh}:${mm}`),
      },
    ),
    spoil: fc.option(fc.tuple(fc.nat(), fc.constantFrom('', ' ', 'x', '9', '-', ':', 'T', '.')), {
      freq: 6,
    }),
  })
  .map(({ year, month, day, hour, minute, seconds, zone, spoil }) => {
    const s = `${year}-${month}-${day}T${hour}:${minute}${seconds}${zone}`;
    if (spoil === null) return s;
    const at = spoil[0] % s.length;
    return s.slice(0, at) + spoil[1] + s.slice(at + 1);
  });
const timestamps = (n: number, seed: number): string[] =>
  fc.sample(timestamp, { numRuns: n, seed });

describe('plainIsoTimestamp', () => {
  const values = timestamps(40_000, 21);

  it("says yes only to timestamps validator's strict isISO8601 accepts", () => {
    let yes = 0;
    for (const v of values) {
      if (!plainIsoTimestamp(v)) continue;
      yes++;
      if (!reference(v))
        throw new Error(`plainIsoTimestamp accepted ${v}, which isISO8601 refuses`);
    }
    expect(yes).toBeGreaterThan(1_500);
  });

  it('says yes to every valid timestamp of the form it reads (Z or ±hh:mm, years from 1000, not 24:00)', () => {
    const form = /^(\d{4})-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
    const counts = { valid: 0, invalid: 0 };
    for (const v of values) {
      const m = form.exec(v);
      // 24:00 (the end of a day) is left to validator, which takes it.
      if (m === null || Number(m[1]) < 1000 || v.includes('T24:')) continue;
      const want = reference(v);
      counts[want ? 'valid' : 'invalid']++;
      if (plainIsoTimestamp(v) !== want) throw new Error(`plainIsoTimestamp(${v}) is not ${want}`);
    }
    // Both kinds, plenty of each, so the comparison means something.
    expect(counts.valid).toBeGreaterThan(1_500);
    expect(counts.invalid).toBeGreaterThan(1_500);
  });

  it('knows the calendar: month lengths and leap years', () => {
    const cases: [string, boolean][] = [
      ['2024-02-29T10:00:00Z', true],
      ['2023-02-29T10:00:00Z', false],
      ['1900-02-29T10:00:00Z', false],
      ['2000-02-29T10:00:00Z', true],
      ['1600-02-29T10:00:00Z', true],
      ['0004-02-29T10:00:00Z', false], // validator refuses years before 1000 (quick-checks.ts)
      ['2024-04-31T10:00:00Z', false],
      ['2024-12-31T23:59:59.999Z', true],
      ['2024-01-01T00:00+01:00', true],
      ['2024-13-01T10:00:00Z', false],
      ['2024-01-00T10:00:00Z', false],
      ['2024-01-01T24:00:00Z', false],
      ['2024-01-01T10:60:00Z', false],
      ['2024-01-01T10:00:60Z', false],
      ['2024-01-01T10:00:00+24:00', false],
    ];
    for (const [v, plain] of cases) {
      expect([v, plainIsoTimestamp(v)]).toEqual([v, plain]);
      if (plain) expect([v, reference(v)]).toEqual([v, true]);
    }
  });
});

describe('quickerConstraint', () => {
  it("gives isISO8601's own answer for every value, asking it only when the quick check does not say yes", () => {
    let asked = 0;
    const own = {
      validate: (v: unknown) => {
        asked++;
        return reference(v);
      },
    };
    const quick = quickerConstraint('isIso8601', [STRICT], own);
    const values: unknown[] = [
      ...timestamps(5_000, 7),
      20240101,
      null,
      undefined,
      {},
      ['2024-01-01T00:00Z'],
    ];
    for (const v of values) expect([v, quick.validate(v)]).toEqual([v, reference(v)]);
    const quickYes = values.filter((v) => typeof v === 'string' && plainIsoTimestamp(v)).length;
    expect(quickYes).toBeGreaterThan(150);
    expect(asked).toBe(values.length - quickYes);
  });

  it('leaves other checks, and isISO8601 with other options, to themselves', () => {
    const own = { validate: () => true };
    expect(quickerConstraint('isIso8601', [{ strict: true }], own)).toBe(own);
    expect(quickerConstraint('isIso8601', [{}], own)).toBe(own);
    expect(quickerConstraint('isIso8601', undefined, own)).toBe(own);
    expect(quickerConstraint('matches', [STRICT], own)).toBe(own);
    expect(quickerConstraint(undefined, [STRICT], own)).toBe(own);
  });
});
