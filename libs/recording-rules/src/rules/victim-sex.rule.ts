import type { CrimeRule } from '../rule.js';

// R4: 19C/19D/19E/20A/20B need a female victim; 19F/19G/19H/17A/17B a male victim (catalogue victimSex).
export const victimSexRule: CrimeRule = {
  code: 'CF-SEX-001',
  subject: 'crime',
  severity: 'block',
  message: 'Victim sex does not match the offence code',
  reference: 'HOCR Sexual Offences (offence names); domain.md §14 R4',
  basis: 'CONFIRMED',
  fromYear: null,
  toYear: null,
  check: (crime, ctx) => {
    const required = ctx.offence(crime.offenceCode)?.victimSex ?? null;
    if (required === null || crime.victimSex === 'unknown' || crime.victimSex === required)
      return null;
    return {
      message: `Offence ${crime.offenceCode} requires a ${required} victim; victim is ${crime.victimSex}`,
      details: {
        offenceCode: crime.offenceCode,
        victimSex: crime.victimSex,
        requiredSex: required,
      },
    };
  },
};
