import type { CrimeRule } from '../rule.js';

// A racially or religiously aggravated offence (8M, 8P, 105B, 58J, 9B) is by its name motivated by hostility
// on race or religion, so a record of one with no hate strand is probably incomplete (R24: the strand must
// be recorded). A warning: the registrar adds the strand; the catalogue names the strands each code implies.
export const aggravatedHateStrandRule: CrimeRule = {
  code: 'CF-HATE-002',
  subject: 'crime',
  severity: 'warn',
  message: 'Aggravated offence code implies a hate strand, but none is recorded',
  reference:
    'Crime and Disorder Act 1998 ss.28-32; College of Policing APP hate crime; domain.md §14 R24; issue 20',
  basis: 'INFERRED',
  fromYear: null,
  toYear: null,
  check: (crime, ctx) => {
    if (crime.hateStrands.length > 0) return null;
    const implied = ctx.offence(crime.offenceCode)?.impliedHateStrands;
    if (!implied || implied.length === 0) return null;
    return { details: { offenceCode: crime.offenceCode, expectedOneOf: [...implied] } };
  },
};
