import type { PrincipalCrimeEntry } from '#libs/catalogue';
import type { CrimeRule } from '../rule.js';

// HOCR General Rules Section F (Principal Crime Rule) with Section E (Finished Incident Rule), domain.md R20: when
// several offences of one finished incident against the same victim by the same offender(s) are entered, only the
// most serious is recorded, ranked by the Annex C look-up table (maximum sentences). Annex C was not available, so
// the ranking is catalogue data (data/principal-crime.json: statutory maxima, each cited and labelled); a code with
// no entry is never guessed at: the finding then says no principal crime can be suggested. Records share an
// incident by their incident reference; whether they are the same victim and offender(s) is for the registrar
// (one crime per victim, Section D), so this only warns.
export const principalCrimeRule: CrimeRule = {
  code: 'CF-PRINCIPAL-001',
  subject: 'crime',
  severity: 'warn',
  message: 'Several offences are entered for this incident: check the Principal Crime Rule',
  reference: 'HOCR General Rules Sections E and F, Annex C; domain.md §14 R20; issue 20',
  // The rule is SECONDARY (domain.md R20); ranking by statutory maxima in place of Annex C is INFERRED.
  basis: 'INFERRED',
  fromYear: null,
  toYear: null,
  check: (crime, ctx) => {
    const incident = crime.incident;
    if (!incident || incident.others.length === 0) return null;
    const offences = [
      { crimeReference: crime.crimeReference, offenceCode: crime.offenceCode },
      ...incident.others,
    ];
    const codes = [...new Set(offences.map((o) => o.offenceCode))];
    // The same offence more than once is a question for one crime per victim (Section D), not for Section F.
    if (codes.length < 2) return null;
    const entries = new Map(codes.map((c) => [c, ctx.principalCrime?.(c)]));
    const base = { incidentReference: incident.reference, offences };
    const lead = `Offences ${codes.join(', ')} are entered for incident ${incident.reference}`;
    const unranked = codes.filter((c) => entries.get(c) === undefined);
    if (unranked.length > 0)
      return {
        message: `${lead}; no seriousness is recorded for ${unranked.join(', ')} (the Annex C table is not available), so no principal crime is suggested: apply HOCR Section F`,
        details: { ...base, principal: null, unranked },
      };
    const weight = (c: string) => rank(entries.get(c)!);
    const top = Math.max(...codes.map(weight));
    const tied = codes.filter((c) => weight(c) === top);
    if (tied.length > 1)
      return {
        message: `${lead}; ${tied.join(' and ')} have the same maximum sentence, so no principal crime is suggested: apply HOCR Section F`,
        details: { ...base, principal: null, tied },
      };
    const principal = tied[0];
    const e = entries.get(principal)!;
    return {
      message: `${lead}; if they are one finished incident against the same victim by the same offender(s), record only the principal crime, ${principal} (maximum ${e.life ? 'life' : `${e.maxSentenceMonths} months`}, ${e.statute}; ${e.status})`,
      details: {
        ...base,
        principal,
        thisRecordIsPrincipal: crime.offenceCode === principal,
        seriousness: codes.map((c) => {
          const x = entries.get(c)!;
          return {
            code: c,
            life: x.life,
            maxSentenceMonths: x.maxSentenceMonths,
            status: x.status,
          };
        }),
      },
    };
  },
};

function rank(e: PrincipalCrimeEntry): number {
  return e.life ? Number.POSITIVE_INFINITY : (e.maxSentenceMonths ?? 0);
}
