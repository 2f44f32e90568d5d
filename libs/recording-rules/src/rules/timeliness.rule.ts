import { financialYearOf } from '../financial-year.js';
import type { CrimeRule, RulesConfig } from '../rule.js';

// R10: record within 24h of the report since April 2015, 72h before (domain.md §2). The limit is
// the one in force in the recording year. A breach is a KPI for the FCR, not a reason to refuse.
export const timelinessRule: CrimeRule = {
  code: 'CF-TIME-001',
  subject: 'crime',
  severity: 'warn',
  message: 'Crime recorded later than the NCRS time limit after the report',
  reference: 'NCRS; HMICFRS glossary; HO Crime Outcomes technical annex; domain.md §14 R10',
  basis: 'CONFIRMED',
  fromYear: 2002, // NCRS adopted 1 April 2002
  toYear: null,
  check: (crime, ctx) => {
    const elapsedMs = crime.recordedAt.getTime() - crime.reportedAt.getTime();
    if (!(elapsedMs > 0)) return null; // negative or invalid: R9's concern
    const limitHours = limitFor(financialYearOf(crime.recordedAt), ctx.config);
    if (limitHours === null || elapsedMs <= limitHours * 3_600_000) return null;
    const hours = Math.round((elapsedMs / 3_600_000) * 100) / 100;
    return {
      message: `Recorded ${hours}h after the report; the limit is ${limitHours}h`,
      details: { hours, limitHours },
    };
  },
};

// The limit of the latest entry starting on or before the year (a loop, not filter/reduce: the import asks per row).
function limitFor(year: number, config: RulesConfig): number | null {
  let best: { fromYear: number; hours: number } | null = null;
  for (const t of config.timelinessHours)
    if (t.fromYear <= year && (best === null || t.fromYear > best.fromYear)) best = t;
  return best === null ? null : best.hours;
}
