import type { CrimeRule } from '../rule.js';

// R4 ("warn if sex unknown"): an unknown sex cannot contradict the code, but the gap is shown.
export const victimSexUnknownRule: CrimeRule = {
  code: 'CF-SEX-002',
  subject: 'crime',
  severity: 'warn',
  message: 'Victim sex unknown for a sex-defined offence code',
  reference: 'HOCR Sexual Offences (offence names); domain.md §14 R4',
  basis: 'INFERRED',
  fromYear: null,
  toYear: null,
  check: (crime, ctx) => {
    const required = ctx.offence(crime.offenceCode)?.victimSex ?? null;
    if (required === null || crime.victimSex !== 'unknown') return null;
    return { details: { offenceCode: crime.offenceCode, requiredSex: required } };
  },
};
