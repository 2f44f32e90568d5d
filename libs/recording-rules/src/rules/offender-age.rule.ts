import type { CrimeRule } from '../rule.js';
import { validAge } from './age-checks.js';

// R5 / R6: s.15A (71/17) and s.15 (88A) need a suspect aged 18+; s.13 needs one under 18.
// An unknown suspect (null) passes: the offence can be recorded before anyone is identified.
export const offenderAgeRule: CrimeRule = {
  code: 'CF-OFFENDER-001',
  subject: 'crime',
  severity: 'block',
  message: "Suspect's age is outside the range this offence code allows",
  reference: 'SOA 2003 ss.13, 15, 15A; domain.md §14 R5, R6',
  basis: 'CONFIRMED',
  fromYear: null,
  toYear: null,
  check: (crime, ctx) => {
    const offence = ctx.offence(crime.offenceCode);
    const age = validAge(crime.suspectAge, ctx);
    if (!offence || age === null) return null;
    const { offenderAgeMin: min, offenderAgeMax: max } = offence;
    if ((min === null || age >= min) && (max === null || age <= max)) return null;
    return {
      message: `Offence ${crime.offenceCode} requires a suspect aged ${min !== null && age < min ? `${min} or over` : `${max} or under`}; suspect is ${age}`,
      details: { offenceCode: crime.offenceCode, suspectAge: age, offenderAgeMin: min, offenderAgeMax: max },
    };
  },
};
