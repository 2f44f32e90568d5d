import { isISO8601 } from 'class-validator';
import { plainIsoTimestamp, quickerConstraint } from './quick-checks.js';

const STRICT = { strict: true, strictSeparator: true };
const reference = (v: unknown) => isISO8601(v, STRICT);

// A seeded generator (mulberry32), so a failure names a value that can be run again.
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Timestamps of the form clients send, with every field drawn from 00–99 (most out of range for some field), the
// optional parts present or not, and some of them spoilt one character at a time.
function timestamps(n: number, seed: number): string[] {
  const r = random(seed);
  const two = () => String(Math.floor(r() * 100)).padStart(2, '0');
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const year = pick([
      '2024',
      '2023',
      '2000',
      '1900',
      '0000',
      '0004',
      '2100',
      '1999',
      String(1000 + i),
    ]);
    // Months and days mostly in range, so that the calendar check is what decides.
    const month = r() < 0.8 ? String(1 + Math.floor(r() * 12)).padStart(2, '0') : two();
    const day = r() < 0.8 ? String(1 + Math.floor(r() * 31)).padStart(2, '0') : two();
    const hour = r() < 0.8 ? String(Math.floor(r() * 24)).padStart(2, '0') : two();
    const minute = r() < 0.8 ? String(Math.floor(r() * 60)).padStart(2, '0') : two();
    const seconds = pick(['', `:${two()}`, `:${two()}.${Math.floor(r() * 1000)}`, `:${two()},5`]);
    const zone = pick([
      'Z',
      'z',
      '',
      `+${two()}:${two()}`,
      `-${two()}:${two()}`,
      '+01:00',
      '+0100',
      '+01',
    ]);
    let s = `${year}-${month}-${day}T${hour}:${minute}${seconds}${zone}`;
    if (r() < 0.15) {
      const at = Math.floor(r() * s.length);
      s = s.slice(0, at) + pick(['', ' ', 'x', '9', '-', ':', 'T', '.']) + s.slice(at + 1);
    }
    out.push(s);
  }
  return out;
}

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
    expect(yes).toBeGreaterThan(1_000);
  });

  it('says yes to every valid timestamp of the form it reads (Z or ±hh:mm, years from 1000)', () => {
    const form = /^(\d{4})-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
    const counts = { valid: 0, invalid: 0 };
    for (const v of values) {
      const m = form.exec(v);
      if (m === null || Number(m[1]) < 1000) continue;
      const want = reference(v);
      counts[want ? 'valid' : 'invalid']++;
      if (plainIsoTimestamp(v) !== want) throw new Error(`plainIsoTimestamp(${v}) is not ${want}`);
    }
    // Both kinds, plenty of each, so the comparison means something.
    expect(counts.valid).toBeGreaterThan(1_000);
    expect(counts.invalid).toBeGreaterThan(1_000);
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
    expect(quickYes).toBeGreaterThan(100);
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
