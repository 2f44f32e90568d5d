import { BadRequestException, type ValidationError } from '@nestjs/common';

// Shape errors (400) say what is wrong per field, as class-validator words it, and add a hint where the caller can
// act on something the message alone does not tell them (issue 13 §3).
const HINTS: { when: (e: ValidationError) => boolean; hint: string }[] = [
  {
    when: (e) => e.property === 'version' && e.value === undefined,
    hint: 'version is required: send the version you last read (GET /crimes/:id answers it); a stale version answers 409',
  },
  {
    when: (e) => e.property === 'offenceCode' && e.constraints?.whitelistValidation !== undefined,
    hint: 'an offence code changes through POST /crimes/:id/reclassify, with a reason (HOCR Section B)',
  },
];

function messages(errors: ValidationError[], prefix = ''): string[] {
  return errors.flatMap((e) => [
    ...Object.values(e.constraints ?? {}).map((m) => (prefix ? `${prefix}.${m}` : m)),
    ...messages(e.children ?? [], prefix ? `${prefix}.${e.property}` : e.property),
  ]);
}

export function validationException(errors: ValidationError[]): BadRequestException {
  const hints = HINTS.filter((h) => errors.some(h.when)).map((h) => h.hint);
  return new BadRequestException({ message: messages(errors), ...(hints.length > 0 && { hints }) });
}
