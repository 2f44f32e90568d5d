import type { CrimeRule } from '../rule.js';
import { validAge } from './age-checks.js';

// R22: domestic abuse is defined between those aged 16 or over; under-16 cases are child abuse.
// Warn only: the flag may still be right for the other party. Collection began April 2015 (§5).
export const domesticAbuseAgeRule: CrimeRule = {
  code: 'CF-DA-001',
  subject: 'crime',
  severity: 'warn',
  message:
    'Domestic abuse flag with a victim or suspect under the minimum age: consider child abuse',
  reference: 'HO domestic abuse definition (HMICFRS explanatory notes); domain.md §14 R22',
  basis: 'CONFIRMED',
  fromYear: 2015,
  toYear: null,
  check: (crime, ctx) => {
    if (!crime.domesticAbuse) return null;
    const min = ctx.config.domesticAbuseMinAge;
    const under: Record<string, number> = {};
    const victimAge = validAge(crime.victimAge, ctx);
    const suspectAge = validAge(crime.suspectAge, ctx);
    if (victimAge !== null && victimAge < min) under.victimAge = victimAge;
    if (suspectAge !== null && suspectAge < min) under.suspectAge = suspectAge;
    return Object.keys(under).length > 0 ? { details: { ...under, minAge: min } } : null;
  },
};
