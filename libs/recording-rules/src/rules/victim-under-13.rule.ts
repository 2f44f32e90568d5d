import type { CrimeRule } from '../rule.js';
import { checkVictimAgeMax } from './age-checks.js';

// R1: 19E, 19H, 17B, 20B, 21 (catalogue victimAgeMax ≤ 12) need a victim under 13.
export const victimUnder13Rule: CrimeRule = {
  code: 'CF-AGE-001',
  subject: 'crime',
  severity: 'block',
  message: 'Victim must be under 13 at the offence date for this offence code',
  reference: 'HOCR Sexual Offences; SOA 2003 ss.5-8; domain.md §14 R1',
  basis: 'CONFIRMED',
  fromYear: null,
  toYear: null,
  check: (crime, ctx) => checkVictimAgeMax(crime, ctx, { from: 0, to: 12 }),
};
