import type { CrimeRule } from '../rule.js';

// R9: offence start ≤ offence end ≤ reported ≤ recorded. A missing offence end means a single date.
export const dateOrderRule: CrimeRule = {
  code: 'CF-DATE-001',
  subject: 'crime',
  severity: 'block',
  message: 'Dates out of order: offence start ≤ offence end ≤ reported ≤ recorded',
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
    if (from <= to && to <= reported && reported <= recorded) return null; // NaN fails every comparison
    const chain: [string, Date][] = [
      ['offenceFrom', crime.offenceFrom],
      ['offenceTo', crime.offenceTo ?? crime.offenceFrom],
      ['reportedAt', crime.reportedAt],
      ['recordedAt', crime.recordedAt],
    ];
    const invalid = chain.filter(([, date]) => Number.isNaN(date.getTime())).map(([name]) => name);
    if (invalid.length > 0) return { message: `Invalid date: ${invalid.join(', ')}`, details: { invalid } };
    const outOfOrder: string[] = [];
    for (let i = 1; i < chain.length; i++) {
      const [before, earlier] = chain[i - 1];
      const [after, later] = chain[i];
      if (later.getTime() < earlier.getTime()) outOfOrder.push(`${before} > ${after}`);
    }
    return outOfOrder.length > 0 ? { details: { outOfOrder } } : null;
  },
};
