import { codesOf, crimeFindings, testContext, type CrimeCase } from '../testing/baseline.js';

describe('CF-AGE-006: ages are whole years from 0 to the maximum (R8)', () => {
  const adult = { offenceCode: '19C', onlineFlag: 'no', onlineMethod: null } as const;
  it.each<CrimeCase>([
    ['baseline', {}, []],
    ['victim -1', { victimAge: -1 }, ['CF-AGE-006']],
    ['victim 14.5', { victimAge: 14.5 }, ['CF-AGE-006']],
    ['victim NaN', { victimAge: Number.NaN }, ['CF-AGE-006']],
    ['adult victim 120', { ...adult, victimAge: 120 }, []],
    ['adult victim 121', { ...adult, victimAge: 121 }, ['CF-AGE-006']],
    ['suspect -3', { suspectAge: -3 }, ['CF-AGE-006']],
    ['suspect 121', { suspectAge: 121 }, ['CF-AGE-006']],
  ])('%s → %j', (_name, patch, expected) => {
    expect(codesOf(crimeFindings(patch))).toEqual(expected);
  });

  it('reads the maximum from the config', () => {
    const ctx = testContext({ maxVictimAge: 110 });
    expect(
      codesOf(
        crimeFindings(
          { offenceCode: '19C', victimAge: 111, onlineFlag: 'no', onlineMethod: null },
          ctx,
        ),
      ),
    ).toEqual(['CF-AGE-006']);
  });
});
