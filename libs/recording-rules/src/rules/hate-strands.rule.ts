import { HATE_STRANDS, type CrimeRule } from '../rule.js';

// R24: the hate-crime flag is represented by a non-empty strand list (CrimeFacts.hateStrands), so
// "strand required if flag set" holds by construction. What remains: only the five monitored
// strands, each at most once (the facts may come from unchecked input).
export const hateStrandsRule: CrimeRule = {
  code: 'CF-HATE-001',
  subject: 'crime',
  severity: 'block',
  message:
    'Hate-crime strands must be distinct monitored strands: race, religion, sexual orientation, disability, transgender',
  reference: 'College of Policing APP hate crime; PQ 33648; domain.md §14 R24',
  basis: 'CONFIRMED',
  fromYear: null,
  toYear: null,
  check: (crime) => {
    if (crime.hateStrands.length === 0) return null; // most records: nothing to build
    const allowed: readonly string[] = HATE_STRANDS;
    const unknown = crime.hateStrands.filter((s) => !allowed.includes(s));
    const duplicated = [...new Set(crime.hateStrands.filter((s, i, all) => all.indexOf(s) !== i))];
    return unknown.length > 0 || duplicated.length > 0
      ? { details: { unknown, duplicated } }
      : null;
  },
};
