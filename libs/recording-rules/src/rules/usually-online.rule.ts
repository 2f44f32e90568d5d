import type { CrimeRule } from '../rule.js';

// R14: HMICFRS found the cyber flag under-used (2018 cause of concern). Offences that are usually
// online (catalogue usuallyOnline) flagged 'no' go to the auditor review queue; they still save.
// Harassment and stalking are usually online only in some forms: domain.md R14 queues them when the method
// text mentions a message or social media (catalogue usuallyOnlineMethodKeywords), not every 8L/8Q flagged 'no'.
export const usuallyOnlineRule: CrimeRule = {
  code: 'CF-FLAG-003',
  subject: 'crime',
  severity: 'warn',
  message: "Offence is usually committed online but flagged 'no': sent to review",
  reference: 'ONS experimental statistics 2017; HMICFRS hate crime 2018; domain.md §14 R14',
  basis: 'INFERRED',
  fromYear: 2015,
  toYear: null,
  check: (crime, ctx) => {
    if (crime.onlineFlag !== 'no') return null;
    const offence = ctx.offence(crime.offenceCode);
    if (!offence?.usuallyOnline) return null;
    const keywords = offence.usuallyOnlineMethodKeywords;
    if (keywords === null) return { details: { offenceCode: crime.offenceCode } };
    const text = crime.onlineMethod?.toLowerCase() ?? '';
    const matched = keywords.find((k) => text.includes(k.toLowerCase()));
    return matched === undefined
      ? null
      : { details: { offenceCode: crime.offenceCode, methodMentions: matched } };
  },
};
