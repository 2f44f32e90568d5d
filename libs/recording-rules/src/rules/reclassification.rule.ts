import type { ReclassificationRule } from '../rule.js';

// R18: reclassification is allowed (HOCR Section B) but must change the code and say why; the
// service stores the history (previous code, new code, who, when, why) per DPA 2018 s.62.
export const reclassificationRule: ReclassificationRule = {
  code: 'CF-RECLASS-001',
  subject: 'reclassification',
  severity: 'block',
  message: 'Reclassification needs a different offence code and a reason',
  reference: 'HOCR General Rules Section B; DPA 2018 s.62; domain.md §14 R18',
  basis: 'CONFIRMED',
  fromYear: null,
  toYear: null,
  check: (request) => {
    const problems: string[] = [];
    if (request.toCode.trim() === request.fromCode.trim())
      problems.push('new code equals the current code');
    if (!request.reason.trim()) problems.push('reason is blank');
    return problems.length > 0
      ? { message: `Reclassification refused: ${problems.join('; ')}`, details: { problems } }
      : null;
  },
};
