import type { CrimeRule } from '../rule.js';
import { checkVictimAgeMax } from './age-checks.js';

// R7: classes 71, 73 and child-family 23 (catalogue victimAgeMax ≥ 16) need a child under 18. 86/2 is left to
// CF-AGE-008: its child's age is the age when the image was made, not at the offence date.
export const victimUnder18Rule: CrimeRule = {
  code: 'CF-AGE-003',
  subject: 'crime',
  severity: 'block',
  message: 'Victim must be under 18 at the offence date for this offence code',
  reference: 'SOA 2003 ss.16-19, 25-26, 47-50; PCA 1978 s.1 (SOA 2003 s.45); domain.md §14 R7',
  basis: 'CONFIRMED', // the 73 / 23 section mapping is INFERRED and carried by the catalogue status
  fromYear: null,
  toYear: null,
  check: (crime, ctx) => checkVictimAgeMax(crime, ctx, { from: 16, to: Number.POSITIVE_INFINITY }),
};
