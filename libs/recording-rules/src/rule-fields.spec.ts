import { CRIME_RULES } from './registry.js';
import { CRIME_RULE_FIELDS, explainFinding } from './rule-fields.js';

describe('rule fields', () => {
  it('names the fields of every crime rule, and only of crime rules', () => {
    expect(Object.keys(CRIME_RULE_FIELDS).sort()).toEqual(CRIME_RULES.map((r) => r.code).sort());
  });

  it('explains a confirm finding with the acknowledge hint and its fields', () => {
    const view = explainFinding({
      code: 'CF-AGE-005',
      severity: 'confirm',
      message: 'm',
      reference: 'r',
    });
    expect(view).toEqual({
      code: 'CF-AGE-005',
      severity: 'confirm',
      message: 'm',
      reference: 'r',
      fields: ['offenceCode', 'victimAge'],
      hint: 'to save anyway, send "CF-AGE-005" in acknowledge',
    });
  });

  it('gives block and warn findings their fields and no hint', () => {
    expect(
      explainFinding({ code: 'CF-HATE-001', severity: 'block', message: 'm', reference: 'r' }),
    ).toEqual({
      code: 'CF-HATE-001',
      severity: 'block',
      message: 'm',
      reference: 'r',
      fields: ['hateStrands'],
    });
  });
});
