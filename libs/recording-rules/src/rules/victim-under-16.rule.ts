import type { CrimeRule } from '../rule.js';
import { checkVictimAgeMax } from './age-checks.js';

// R2 (hard half): 19D, 19G, 22B, 71/17, 88A, and 11A / 13 (CYPA 1933 s.1, Child Abduction Act 1984)
// (catalogue victimAgeMax 13–15) need a victim under 16.
export const victimUnder16Rule: CrimeRule = {
  code: 'CF-AGE-002',
  subject: 'crime',
  severity: 'block',
  message: 'Victim must be under 16 at the offence date for this offence code',
  reference:
    'HOCR Sexual Offences; SOA 2003 ss.9-15A; CYPA 1933 s.1; Child Abduction Act 1984; domain.md §14 R2, R5, R6, §16',
  basis: 'CONFIRMED',
  fromYear: null,
  toYear: null,
  check: (crime, ctx) => checkVictimAgeMax(crime, ctx, { from: 13, to: 15 }),
};
