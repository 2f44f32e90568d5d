import type { CrimeRule } from '../rule.js';

// R15: fraud and Computer Misuse Act offences are recorded centrally by Action Fraud / NFIB, not by
// forces, and are excluded from force online-flag figures (domain.md §4).
export const actionFraudOutOfScopeRule: CrimeRule = {
  code: 'CF-CODE-003',
  subject: 'crime',
  severity: 'block',
  message: 'Offence is recorded by Action Fraud/NFIB, out of scope of force records',
  reference: 'HOCR Fraud (Action Fraud/NFIB); domain.md §14 R15',
  basis: 'CONFIRMED',
  fromYear: null,
  toYear: null,
  check: (crime, ctx) =>
    ctx.offence(crime.offenceCode)?.recordedBy === 'action_fraud'
      ? { details: { offenceCode: crime.offenceCode } }
      : null,
};
