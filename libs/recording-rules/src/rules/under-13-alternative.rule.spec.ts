import { partitionFindings } from '../registry.js';
import { codesOf, crimeFindings, type CrimeCase } from '../testing/baseline.js';

describe('CF-AGE-005: an under-16 code used for a child under 13 asks for confirmation (R2)', () => {
  it.each<CrimeCase>([
    ['baseline', {}, []],
    ['19D, victim 13', { offenceCode: '19D', victimAge: 13 }, []],
    ['19D, victim 12', { offenceCode: '19D', victimAge: 12 }, ['CF-AGE-005']],
    ['71/17 (no alternative), victim 12', { victimAge: 12 }, []],
    // Issue 20: 22A (SOA s.4) with a child under 13 prompts 21 (s.8), as 19D prompts 19E.
    ['22A, victim 13', { offenceCode: '22A', victimAge: 13, suspectAge: 30 }, []],
    ['22A, victim 12', { offenceCode: '22A', victimAge: 12, suspectAge: 30 }, ['CF-AGE-005']],
  ])('%s → %j', (_name, patch, expected) => {
    expect(codesOf(crimeFindings(patch))).toEqual(expected);
  });

  it('suggests the under-13 code and does not block once acknowledged', () => {
    const findings = crimeFindings({ offenceCode: '19D', victimAge: 12 });
    expect(findings[0]).toMatchObject({ severity: 'confirm', details: { suggestedCode: '19E' } });
    expect(findings[0].message).toContain('19E');
    expect(partitionFindings(findings, ['CF-AGE-005']).unacknowledged).toEqual([]);
  });

  it('suggests 21 for 22A with a child under 13', () => {
    expect(crimeFindings({ offenceCode: '22A', victimAge: 12 })[0].details).toEqual({
      offenceCode: '22A',
      suggestedCode: '21',
      victimAge: 12,
    });
  });
});
