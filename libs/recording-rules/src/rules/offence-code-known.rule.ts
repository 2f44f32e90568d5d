import type { CrimeRule } from '../rule.js';

// R11: the offence must be a notifiable Home Office code in the catalogue. The other rules skip an
// unknown code, so this is the only finding it produces.
export const offenceCodeKnownRule: CrimeRule = {
  code: 'CF-CODE-001',
  subject: 'crime',
  severity: 'block',
  message: 'Unknown offence code',
  reference: 'HOCR notifiable offence list; domain.md §14 R11',
  basis: 'CONFIRMED',
  fromYear: null,
  toYear: null,
  check: (crime, ctx) =>
    ctx.offence(crime.offenceCode)
      ? null
      : {
          message: `Unknown offence code '${crime.offenceCode}'`,
          details: { offenceCode: crime.offenceCode },
        },
};
