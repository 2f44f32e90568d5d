import { codesOf, crimeFindings, type CrimeCase } from '../testing/baseline.js';

describe('CF-HATE-002: an aggravated code with no hate strand warns', () => {
  const harassment = {
    offenceCode: '8M',
    victimAge: 30,
    onlineFlag: 'no',
    onlineMethod: null,
  } as const;
  it.each<CrimeCase>([
    ['baseline (not aggravated)', {}, []],
    ['8M with race', { ...harassment, hateStrands: ['race'] }, []],
    ['8M with religion', { ...harassment, hateStrands: ['religion'] }, []],
    ['8M with no strand', { ...harassment, hateStrands: [] }, ['CF-HATE-002']],
    [
      '8L (not aggravated) with no strand',
      { ...harassment, offenceCode: '8L', hateStrands: [] },
      [],
    ],
  ])('%s → %j', (_name, patch, expected) => {
    expect(codesOf(crimeFindings(patch))).toEqual(expected);
  });

  it('names the strands the code implies', () => {
    expect(crimeFindings({ ...harassment, hateStrands: [] })[0]).toMatchObject({
      severity: 'warn',
      details: { offenceCode: '8M', expectedOneOf: ['race', 'religion'] },
    });
  });
});
