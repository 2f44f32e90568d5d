import type { HateStrand } from '../rule.js';
import { codesOf, crimeFindings, type CrimeCase } from '../testing/baseline.js';

describe('CF-HATE-001: hate strands are distinct monitored strands (R24)', () => {
  it.each<CrimeCase>([
    ['baseline (not a hate crime)', {}, []],
    ['one strand', { hateStrands: ['disability'] }, []],
    [
      'all five strands',
      { hateStrands: ['race', 'religion', 'sexual_orientation', 'disability', 'transgender'] },
      [],
    ],
    ['repeated strand', { hateStrands: ['race', 'race'] }, ['CF-HATE-001']],
    ['unmonitored strand', { hateStrands: ['gender' as HateStrand] }, ['CF-HATE-001']],
  ])('%s → %j', (_name, patch, expected) => {
    expect(codesOf(crimeFindings(patch))).toEqual(expected);
  });

  it('lists the offending strands', () => {
    expect(
      crimeFindings({ hateStrands: ['race', 'race', 'age' as HateStrand] })[0].details,
    ).toEqual({
      unknown: ['age'],
      duplicated: ['race'],
    });
  });
});
