import type { ReclassificationFacts } from '../rule.js';
import { codesOf, reclassificationFindings } from '../testing/baseline.js';

describe('CF-RECLASS-001: a reclassification changes the code and gives a reason (R18)', () => {
  it.each<[string, Partial<ReclassificationFacts>, string[]]>([
    ['baseline', {}, []],
    ['same code', { toCode: '88A' }, ['CF-RECLASS-001']],
    ['same code with spaces', { toCode: ' 88A ' }, ['CF-RECLASS-001']],
    ['blank reason', { reason: '  ' }, ['CF-RECLASS-001']],
  ])('%s → %j', (_name, patch, expected) => {
    expect(codesOf(reclassificationFindings(patch))).toEqual(expected);
  });
});
