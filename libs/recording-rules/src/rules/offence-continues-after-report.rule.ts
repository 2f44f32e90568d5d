import type { CrimeRule } from '../rule.js';

// Issue 20 (domain review): an offence that is a course of conduct (harassment, stalking, controlling or
// coercive behaviour, grooming) can go on after the victim reports it, so its end date may be later than the
// report or the recording. That is worth a look (was the end date meant?), not a refusal: CF-DATE-001 keeps
// the start of the offence before the report.
export const offenceContinuesAfterReportRule: CrimeRule = {
  code: 'CF-DATE-009',
  subject: 'crime',
  severity: 'warn',
  message: 'Offence end date is after the report: the offence went on after it was reported',
  reference:
    'HOCR "whether and when to record" (course of conduct); domain.md §14 R9; issue 20 domain review',
  basis: 'INFERRED',
  fromYear: null,
  toYear: null,
  check: (crime) => {
    if (crime.offenceTo === null) return null;
    const to = crime.offenceTo.getTime();
    const reported = crime.reportedAt.getTime();
    if (!(to > reported)) return null; // in order, or invalid (CF-DATE-001 reports invalid dates)
    return {
      details: {
        offenceTo: crime.offenceTo.toISOString(),
        reportedAt: crime.reportedAt.toISOString(),
      },
    };
  },
};
