import { partitionFindings } from '../registry.js';
import { codesOf, crimeFindings, type CrimeCase } from '../testing/baseline.js';

describe("CF-AGE-008: 86/2 limits the child's age when the image was made, not at the offence date", () => {
  const images = { offenceCode: '86/2' };
  it.each<CrimeCase>([
    ['86/2, child 14', { ...images, victimAge: 14 }, []],
    ['86/2, 17 at the offence date', { ...images, victimAge: 17 }, []],
    [
      '86/2, 18 at the offence date (image made years earlier)',
      { ...images, victimAge: 18 },
      ['CF-AGE-008'],
    ],
    ['86/2, age unknown', { ...images, victimAge: null }, ['CF-AGE-007']],
    ['71/17 is limited at the offence date as before', { victimAge: 16 }, ['CF-AGE-002']],
  ])('%s → %j', (_name, patch, expected) => {
    expect(codesOf(crimeFindings(patch))).toEqual(expected);
  });

  it('does not block sharing an old image of someone now adult', () => {
    const findings = crimeFindings({ ...images, victimAge: 25 });
    expect(findings).toEqual([
      expect.objectContaining({
        code: 'CF-AGE-008',
        severity: 'warn',
        details: { offenceCode: '86/2', victimAge: 25, childAgeMax: 17 },
      }),
    ]);
    const parts = partitionFindings(findings, []);
    expect(parts.blocking).toEqual([]);
    expect(parts.unacknowledged).toEqual([]);
  });
});
