import type { CrimeRule } from '../rule.js';

// R9: offence start ≤ offence end, and offence start ≤ reported ≤ recorded. A missing offence end means a
// single date. The offence END may fall after the report: harassment, stalking, coercive control and grooming
// often go on after the victim reports them; CF-DATE-009 warns about that instead (issue 20).
export const dateOrderRule: CrimeRule = {
  code: 'CF-DATE-001',
  subject: 'crime',
  severity: 'block',
  message:
    'Dates out of order: offence start ≤ offence end, and offence start ≤ reported ≤ recorded',
  reference: 'HOCR "whether and when to record"; domain.md §14 R9',
  basis: 'INFERRED',
  fromYear: null,
  toYear: null,
  check: (crime) => {
    // The usual case (valid and in order) is decided without building anything: the import runs this per row.
    const from = crime.offenceFrom.getTime();
    const to = crime.offenceTo === null ? from : crime.offenceTo.getTime();
    const reported = crime.reportedAt.getTime();
    const recorded = crime.recordedAt.getTime();
    if (from <= to && from <= reported && reported <= recorded) return null; // NaN fails every comparison
    const dates: [string, Date][] = [
      ['offenceFrom', crime.offenceFrom],
      ['offenceTo', crime.offenceTo ?? crime.offenceFrom],
      ['reportedAt', crime.reportedAt],
      ['recordedAt', crime.recordedAt],
    ];
    const invalid = dates.filter(([, date]) => Number.isNaN(date.getTime())).map(([name]) => name);
    if (invalid.length > 0)
      return { message: `Invalid date: ${invalid.join(', ')}`, details: { invalid } };
    const outOfOrder: string[] = [];
    if (to < from) outOfOrder.push('offenceFrom > offenceTo');
    if (reported < from) outOfOrder.push('offenceFrom > reportedAt');
    if (recorded < reported) outOfOrder.push('reportedAt > recordedAt');
    return outOfOrder.length > 0 ? { details: { outOfOrder } } : null;
  },
};
