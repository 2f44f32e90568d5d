import type { CrimeRule } from '../rule.js';
import { validAge } from './age-checks.js';

// R2 (soft half): an under-16 code used for a child under 13 probably belongs to the under-13
// code (19D → 19E, 19G → 19H, 22B → 21). The 13–15 banding is INFERRED, so the user confirms.
export const under13AlternativeRule: CrimeRule = {
  code: 'CF-AGE-005',
  subject: 'crime',
  severity: 'confirm',
  message: 'Victim is under 13: the under-13 offence code may be the correct classification',
  reference: 'HOCR Sexual Offences; SOA 2003 ss.5-8; Hansard 211000; domain.md §14 R2',
  basis: 'INFERRED',
  fromYear: null,
  toYear: null,
  check: (crime, ctx) => {
    const alternative = ctx.offence(crime.offenceCode)?.under13Alternative ?? null;
    const age = validAge(crime.victimAge, ctx);
    if (alternative === null || age === null || age >= 13) return null;
    return {
      message: `Victim is ${age}: consider ${alternative} instead of ${crime.offenceCode}`,
      details: { offenceCode: crime.offenceCode, suggestedCode: alternative, victimAge: age },
    };
  },
};
