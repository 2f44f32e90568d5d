import type { CrimeRule } from '../rule.js';
import { validAge } from './age-checks.js';

// R5 / R6 / R7: s.15A (71/17), s.15 (88A) and ss.16-19 (73) need a suspect aged 18+; s.13 one under 18;
// CYPA 1933 s.1 (11A) one aged 16+. The age is the suspect's at the offence date. An unknown suspect (null)
// passes: the offence can be recorded before anyone is identified. A 'confirm', not a block (issue 20 review):
// online offenders' ages are often claimed or estimated, so the registrar confirms the classification.
export const offenderAgeRule: CrimeRule = {
  code: 'CF-OFFENDER-001',
  subject: 'crime',
  severity: 'confirm',
  message: "Suspect's age at the offence date is outside the range this offence code allows",
  reference: 'SOA 2003 ss.13, 15, 15A, 16-19; CYPA 1933 s.1; domain.md §14 R5-R7',
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
      message: `Offence ${crime.offenceCode} requires a suspect aged ${min !== null && age < min ? `${min} or over` : `${max} or under`} at the offence date; suspect age given is ${age}`,
      details: {
        offenceCode: crime.offenceCode,
        suspectAge: age,
        offenderAgeMin: min,
        offenderAgeMax: max,
      },
    };
  },
};
