import type { CrimeRule } from '../rule.js';

// R14: HMICFRS found the cyber flag under-used (2018 cause of concern). Offences that are usually
// online (catalogue usuallyOnline) flagged 'no' go to the auditor review queue; they still save.
export const usuallyOnlineRule: CrimeRule = {
  code: 'CF-FLAG-003',
  subject: 'crime',
  severity: 'warn',
  message: "Offence is usually committed online but flagged 'no': sent to review",
  reference: 'ONS experimental statistics 2017; HMICFRS hate crime 2018; domain.md §14 R14',
  basis: 'INFERRED',
  fromYear: 2015,
  toYear: null,
  check: (crime, ctx) =>
    crime.onlineFlag === 'no' && ctx.offence(crime.offenceCode)?.usuallyOnline
      ? { details: { offenceCode: crime.offenceCode } }
      : null,
};
