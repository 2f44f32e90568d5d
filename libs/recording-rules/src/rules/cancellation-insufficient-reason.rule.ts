import type { CancellationRule } from '../rule.js';

// Words that carry no reason of their own, ignored when deciding whether anything is left.
const FILLER = new Set([
  'the',
  'a',
  'an',
  'and',
  'or',
  'so',
  'as',
  'is',
  'has',
  'only',
  'because',
  'reason',
  'therefore',
]);

// R17: "victim does not support" / "no complaint" is not, on its own, a reason to cancel a crime:
// it is not additional verifiable information that no crime occurred. The configured phrases and
// filler words are removed; if nothing remains, the reason is refused. English wording UNCONFIRMED.
export const cancellationInsufficientReasonRule: CancellationRule = {
  code: 'CF-CANCEL-003',
  subject: 'cancellation',
  severity: 'block',
  message: "'Victim does not support' or 'no complaint' alone is not a valid cancellation reason",
  reference:
    'Scottish Crime Recording Standard (no-crime); NCRS victim focus; domain.md §14 R17, §3.2',
  basis: 'UNCONFIRMED',
  fromYear: null,
  toYear: null,
  check: (request, ctx) => {
    const text = normalise(request.justification);
    if (text === '') return null; // an empty justification is CF-CANCEL-001's finding
    const phrases = ctx.config.insufficientCancellationReasons
      .map(normalise)
      .filter((p) => p !== '');
    let rest = text;
    // Normalised phrases hold only letters, digits and spaces, so they are safe inside a RegExp.
    for (const phrase of phrases.sort((a, b) => b.length - a.length)) {
      rest = rest.replace(new RegExp(`(?<=^| )${phrase}(?= |$)`, 'gu'), ' ');
    }
    const remaining = rest.split(' ').filter((word) => word !== '' && !FILLER.has(word));
    return remaining.length === 0 ? { details: { justification: request.justification } } : null;
  },
};

// Lowercase, "n't" → " not", punctuation to spaces, spaces collapsed.
export function normalise(text: string): string {
  return text
    .toLowerCase()
    .replace(/n['’]t\b/g, ' not')
    .replace(/['’]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}
