import { codesOf, crimeFindings, type CrimeCase } from '../testing/baseline.js';

describe('CF-OFFENDER-001: suspect age at the offence date should fit the code (R5-R7)', () => {
  it.each<CrimeCase>([
    ['baseline (71/17, suspect 30)', {}, []],
    ['71/17, suspect 18', { suspectAge: 18 }, []],
    ['71/17, suspect 17', { suspectAge: 17 }, ['CF-OFFENDER-001']],
    ['71/17, no suspect', { suspectAge: null }, []],
    [
      's.13 code, suspect 17',
      { offenceCode: 'S13-TEST', onlineFlag: 'no', onlineMethod: null, suspectAge: 17 },
      [],
    ],
    [
      's.13 code, suspect 18',
      { offenceCode: 'S13-TEST', onlineFlag: 'no', onlineMethod: null, suspectAge: 18 },
      ['CF-OFFENDER-001'],
    ],
  ])('%s → %j', (_name, patch, expected) => {
    expect(codesOf(crimeFindings(patch))).toEqual(expected);
  });

  it('names the required range', () => {
    expect(crimeFindings({ suspectAge: 17 })[0].message).toBe(
      'Offence 71/17 requires a suspect aged 18 or over at the offence date; suspect age given is 17',
    );
  });

  // Issue 20: online offenders' ages are often claimed or estimated, so the registrar confirms rather than being refused.
  it('asks for confirmation rather than refusing', () => {
    expect(crimeFindings({ suspectAge: 17 })[0].severity).toBe('confirm');
  });

  // Issue 20 corrections: 73 needs an offender aged 18+, 11A one aged 16+ (victims here fit each code).
  const trust = { offenceCode: '73', victimAge: 16, onlineFlag: 'no' as const, onlineMethod: null };
  const cruelty = {
    offenceCode: '11A',
    victimAge: 10,
    onlineFlag: 'no' as const,
    onlineMethod: null,
  };
  it.each<CrimeCase>([
    ['73, suspect 18', { ...trust, suspectAge: 18 }, []],
    ['73, suspect 17', { ...trust, suspectAge: 17 }, ['CF-OFFENDER-001']],
    ['11A, suspect 16', { ...cruelty, suspectAge: 16 }, []],
    ['11A, suspect 15', { ...cruelty, suspectAge: 15 }, ['CF-OFFENDER-001']],
  ])('%s → %j', (_name, patch, expected) => {
    expect(codesOf(crimeFindings(patch))).toEqual(expected);
  });
});
