import type { CrimeRule } from '../rule.js';
import { validAge } from './age-checks.js';

// R3: 19C, 19F need a victim aged 16+; 17A, 20A need 13+ (catalogue victimAgeMin).
export const victimMinimumAgeRule: CrimeRule = {
  code: 'CF-AGE-004',
  subject: 'crime',
  severity: 'block',
  message: 'Victim is younger than this offence code allows',
  reference: 'HOCR Sexual Offences (offence names); domain.md §14 R3',
  basis: 'CONFIRMED',
  fromYear: null,
  toYear: null,
  check: (crime, ctx) => {
    const min = ctx.offence(crime.offenceCode)?.victimAgeMin ?? null;
    const age = validAge(crime.victimAge, ctx);
    if (min === null || age === null || age >= min) return null;
    return {
      message: `Offence ${crime.offenceCode} requires a victim aged ${min} or over; victim is ${age}`,
      details: { offenceCode: crime.offenceCode, victimAge: age, victimAgeMin: min },
    };
  },
};
