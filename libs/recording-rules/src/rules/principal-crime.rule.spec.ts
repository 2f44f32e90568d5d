import { codesOf, crimeFindings, testContext, type CrimeCase } from '../testing/baseline.js';

// The baseline is 71/17 (fixture seriousness: 24 months); each case adds other records of the same incident.
describe('CF-PRINCIPAL-001: several offences entered for one incident suggest the principal crime', () => {
  const incident = (...codes: string[]) => ({
    incident: {
      reference: 'INC-1',
      others: codes.map((offenceCode, i) => ({ crimeReference: `OTHER-${i}`, offenceCode })),
    },
  });
  it.each<CrimeCase>([
    ['baseline (no incident)', {}, []],
    ['an incident with no other record', incident(), []],
    ['the same offence twice (one crime per victim, not Section F)', incident('71/17'), []],
    ['with a less serious offence', incident('8L'), ['CF-PRINCIPAL-001']],
    ['with a more serious offence', incident('19C'), ['CF-PRINCIPAL-001']],
  ])('%s → %j', (_name, patch, expected) => {
    expect(codesOf(crimeFindings(patch))).toEqual(expected);
  });

  it('suggests the most serious offence by maximum sentence, and says whether this record is it', () => {
    const [lower] = crimeFindings(incident('8L'));
    expect(lower).toMatchObject({
      severity: 'warn',
      details: { incidentReference: 'INC-1', principal: '71/17', thisRecordIsPrincipal: true },
    });
    expect(lower.message).toContain('record only the principal crime, 71/17 (maximum 24 months');
    const [higher] = crimeFindings(incident('8L', '19C'));
    expect(higher.details).toMatchObject({ principal: '19C', thisRecordIsPrincipal: false });
    expect(higher.message).toContain('19C (maximum life');
  });

  it('suggests nothing for a code with no seriousness data, and says so (never guesses)', () => {
    const [f] = crimeFindings(incident('17A'));
    expect(f.details).toMatchObject({ principal: null, unranked: ['17A'] });
    expect(f.message).toContain('no principal crime is suggested');
    // With no seriousness data at all, every code is unranked.
    const bare = { ...testContext(), principalCrime: undefined };
    const [none] = crimeFindings(incident('8L'), bare);
    expect(none.details).toMatchObject({ principal: null, unranked: ['71/17', '8L'] });
  });

  it('suggests nothing when the most serious offences tie', () => {
    const [f] = crimeFindings(incident('8R'));
    expect(f.details).toMatchObject({ principal: null, tied: ['71/17', '8R'] });
  });
});
