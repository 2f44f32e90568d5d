import type { CancellationRule } from '../rule.js';

// Non-blank characters of AVI below which a justification cannot describe verifiable information.
export const MIN_JUSTIFICATION_CHARS = 20;

// R16: a cancellation or transfer needs a configured reason category of the matching kind and a
// free-text AVI justification; a transfer names exactly one receiver: a known, different force, or a known
// investigating authority outside the 44 forces (Police Scotland, PSNI, other agencies of HOCR Section I).
// The C-codes are UNCONFIRMED (domain.md §3.2), so the categories come from config.
export const cancellationReasonRule: CancellationRule = {
  code: 'CF-CANCEL-001',
  subject: 'cancellation',
  severity: 'block',
  message:
    'Cancellation or transfer needs a valid reason category, an AVI justification and, for a transfer, the receiving force',
  reference: 'HOCR General Rules Section C (AVI); Cheshire FOI 3001; domain.md §14 R16',
  basis: 'UNCONFIRMED',
  fromYear: null,
  toYear: null,
  check: (request, ctx) => {
    const problems: string[] = [];
    const category = ctx.config.cancellationCategories.find((c) => c.code === request.category);
    if (!category) problems.push(`unknown category '${request.category}'`);
    else if (category.kind !== request.kind)
      problems.push(`category ${category.code} is for a ${category.kind}, not a ${request.kind}`);
    const avi = request.justification.replace(/\s/g, '').length;
    if (avi < MIN_JUSTIFICATION_CHARS)
      problems.push(
        `justification has ${avi} characters; at least ${MIN_JUSTIFICATION_CHARS} needed`,
      );
    if (request.kind === 'transfer') {
      const authority = request.toAuthorityId ?? null;
      if (request.toForceId && authority)
        problems.push('transfer names both a force and an authority; name one receiver');
      else if (authority) {
        if (!ctx.authority?.(authority))
          problems.push(`unknown receiving authority '${authority}'`);
      } else if (!request.toForceId)
        problems.push('transfer without a receiving force or authority');
      else if (!ctx.force(request.toForceId))
        problems.push(`unknown receiving force '${request.toForceId}'`);
      else if (request.toForceId === request.fromForceId)
        problems.push('transfer to the same force');
    }
    return problems.length > 0
      ? { message: `Cancellation refused: ${problems.join('; ')}`, details: { problems } }
      : null;
  },
};
