import type { ValidationArguments, ValidatorConstraintInterface } from 'class-validator';

// Quicker ways to say yes for class-validator checks the API runs on every write (issue #21). Each only ever says
// yes to a value the check itself accepts; for anything else the check itself decides, so its answers and its
// errors are unchanged (quick-checks.spec.ts compares the two on generated values).

// validator's isISO8601 with { strict: true, strictSeparator: true } (the API's timestamps, http/validation.ts)
// runs a regular expression with back-references and then two more and a Date parse to reject impossible dates:
// 2–5 µs a timestamp on this machine, three or four a create. Here the one form clients send
// (2024-05-01T10:00:00.000Z, seconds, fraction and an offset optional as ISO 8601 allows) is read once and its
// fields compared with their ranges, the day with its month's length in the Gregorian calendar. Years before
// 1000 are left to validator: it reads the date again with the year as a number ('4-09-06'), which Date does not
// take as ISO 8601, and refuses them; so is 24:00 (the end of a day), which it takes.
const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-](\d{2}):(\d{2}))$/;

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const leap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

export function plainIsoTimestamp(value: string): boolean {
  const m = TIMESTAMP.exec(value);
  if (m === null) return false;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (year < 1000 || month < 1 || month > 12 || day < 1) return false;
  if (day > (month === 2 && leap(year) ? 29 : DAYS[month - 1]!)) return false;
  if (Number(m[4]) > 23 || Number(m[5]) > 59) return false;
  if (m[6] !== undefined && Number(m[6]) > 59) return false;
  // Offsets as validator takes them: hours 00–23, minutes 00–59.
  if (m[7] !== undefined && (Number(m[7]) > 23 || Number(m[8]) > 59)) return false;
  return true;
}

type Constraint = Pick<ValidatorConstraintInterface, 'validate'>;

// The constraint the validation plan calls for a check: a quicker one where there is one, else the check's own.
export function quickerConstraint(
  name: string | undefined,
  constraints: readonly unknown[] | undefined,
  own: Constraint,
): Constraint {
  if (name === 'isIso8601') {
    const o = constraints?.[0] as { strict?: unknown; strictSeparator?: unknown } | undefined;
    if (o?.strict === true && o.strictSeparator === true)
      return {
        validate: (value: unknown, args?: ValidationArguments) =>
          (typeof value === 'string' && plainIsoTimestamp(value)) || own.validate(value, args),
      };
  }
  return own;
}
