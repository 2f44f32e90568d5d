import type { CrimeRule } from '../rule.js';

// R12: the online flag is mandatory from April 2015 (PQ 5204; NSPCC). 'unknown' is tolerated only
// while the record is a draft, so a finalised record always answers yes or no.
export const onlineFlagFinalRule: CrimeRule = {
  code: 'CF-FLAG-001',
  subject: 'crime',
  severity: 'block',
  message: "Online flag must be 'yes' or 'no' once the record is no longer a draft",
  reference: 'HOCR crime flags (online flag, April 2015); PQ 5204; domain.md §14 R12',
  basis: 'INFERRED', // the flag is CONFIRMED mandatory; gating it at finalisation is a design choice
  fromYear: 2015,
  toYear: null,
  check: (crime) =>
    crime.onlineFlag === 'unknown' && crime.status !== 'draft'
      ? { details: { status: crime.status } }
      : null,
};
