import type { CrimeRule } from '../rule.js';

// R1–R3, R7 cannot be checked without an age, so they do not block; this warning takes their
// place so the registrar sees the gap (returns table C counts unknown ages, domain.md §15).
export const victimAgeUnknownRule: CrimeRule = {
  code: 'CF-AGE-007',
  subject: 'crime',
  severity: 'warn',
  message: 'Victim age unknown for an age-defined offence: the age limits could not be checked',
  reference: 'domain.md §14 R1-R3, R7; §15 table C',
  basis: 'INFERRED',
  fromYear: null,
  toYear: null,
  check: (crime, ctx) => {
    const offence = ctx.offence(crime.offenceCode);
    if (!offence || crime.victimAge !== null) return null;
    if (offence.victimAgeMin === null && offence.victimAgeMax === null) return null;
    return { details: { offenceCode: crime.offenceCode } };
  },
};
