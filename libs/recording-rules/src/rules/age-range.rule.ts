import type { CrimeRule } from '../rule.js';
import { validAge } from './age-checks.js';

// R8: ages are whole years at the offence date, between 0 and about 120 (config.maxVictimAge).
// The suspect's age is held to the same range; a bad suspect age would otherwise slip past R5/R6.
export const ageRangeRule: CrimeRule = {
  code: 'CF-AGE-006',
  subject: 'crime',
  severity: 'block',
  message: 'Ages must be whole years between 0 and the configured maximum',
  reference: 'SOA 2003 ("B is under 13": age at the offence); domain.md §14 R8',
  basis: 'INFERRED',
  fromYear: null,
  toYear: null,
  check: (crime, ctx) => {
    const invalid: Record<string, number> = {};
    if (crime.victimAge !== null && validAge(crime.victimAge, ctx) === null)
      invalid.victimAge = crime.victimAge;
    if (crime.suspectAge !== null && validAge(crime.suspectAge, ctx) === null)
      invalid.suspectAge = crime.suspectAge;
    if (Object.keys(invalid).length === 0) return null;
    return { details: { ...invalid, maxAge: ctx.config.maxVictimAge } };
  },
};
