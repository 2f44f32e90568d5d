import type { CrimeRule } from '../rule.js';

// R13: the flag means "in full or in part through a computer, computer network or other
// computer-enabled device" (PQ 5204), so a 'yes' should say which. Platform stays optional.
export const onlineMethodRule: CrimeRule = {
  code: 'CF-FLAG-002',
  subject: 'crime',
  severity: 'warn',
  message: 'Online flag is yes but the method (computer, network or device used) is missing',
  reference: 'HOCR crime flags (online flag definition); PQ 5204; domain.md §14 R13',
  basis: 'INFERRED',
  fromYear: 2015,
  toYear: null,
  check: (crime) => (crime.onlineFlag === 'yes' && !crime.onlineMethod?.trim() ? true : null),
};
