import type { CrimeRule } from '../rule.js';
import { londonDate } from '../uk-time.js';

// R27: each record belongs to exactly one force of the 43 + BTP list, valid on the recorded date
// (forces can merge, so membership is dated). The year half of R27 is structural:
// financialYearOf(recordedAt).
export const forceValidRule: CrimeRule = {
  code: 'CF-FORCE-001',
  subject: 'crime',
  severity: 'block',
  message: 'Force is unknown or not in existence on the recorded date',
  reference: 'HO open data force list; domain.md §14 R27, §8',
  basis: 'CONFIRMED',
  fromYear: null,
  toYear: null,
  check: (crime, ctx) => {
    const force = ctx.force(crime.forceId);
    if (!force)
      return { message: `Unknown force '${crime.forceId}'`, details: { forceId: crime.forceId } };
    if (Number.isNaN(crime.recordedAt.getTime())) return null; // R9 reports the bad date
    const recordedDate = londonDate(crime.recordedAt);
    if (
      recordedDate >= force.validFrom &&
      (force.validTo === null || recordedDate <= force.validTo)
    )
      return null;
    return {
      message: `Force '${force.id}' is valid ${force.validFrom} to ${force.validTo ?? 'date'}, not on ${recordedDate}`,
      details: {
        forceId: force.id,
        recordedDate,
        validFrom: force.validFrom,
        validTo: force.validTo,
      },
    };
  },
};
