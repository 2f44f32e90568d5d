import { codesOf, crimeFindings, type CrimeCase } from '../testing/baseline.js';

describe('CF-CODE-002: the code must be in force (R11)', () => {
  const on = (iso: string) => ({ offenceFrom: new Date(iso), offenceTo: null });
  it.each<CrimeCase>([
    ['baseline', {}, []],
    // s.15A commenced 3 April 2017 (UK date; BST, so 00:00 local = 23:00Z the day before).
    ['71/17 on 2017-04-02', on('2017-04-02T12:00:00Z'), ['CF-CODE-002']],
    ['71/17 on 2017-04-02 23:59:59 BST', on('2017-04-02T22:59:59Z'), ['CF-CODE-002']],
    ['71/17 on 2017-04-03 00:00 BST', on('2017-04-02T23:00:00Z'), []],
    ['71/17 on 2017-04-03', on('2017-04-03T12:00:00Z'), []],
    [
      '71/17 course of conduct running past commencement',
      { offenceFrom: new Date('2017-03-01T12:00:00Z'), offenceTo: new Date('2017-04-10T12:00:00Z') },
      [],
    ],
    // Historic allegation under a code with no commencement limit: recorded as if committed today.
    ['historic harassment from 1990 recorded in 2018', { offenceCode: '8L', victimAge: 30, ...on('1990-06-01T12:00:00Z') }, []],
    [
      // Recorded before the flag began, so CF-DATE-002 refuses it too.
      'code recorded before the code table has it',
      { offenceCode: 'OLD-TEST', victimAge: 30, ...on('1999-06-01T12:00:00Z'), reportedAt: new Date('1999-06-02T12:00:00Z'), recordedAt: new Date('1999-06-02T13:00:00Z') },
      ['CF-CODE-002', 'CF-DATE-002'],
    ],
    ['retired code recorded after its end', { offenceCode: 'OLD-TEST', victimAge: 30, ...on('2009-06-01T12:00:00Z') }, ['CF-CODE-002']],
  ])('%s → %j', (_name, patch, expected) => {
    expect(codesOf(crimeFindings(patch))).toEqual(expected);
  });

  it('reports the start date', () => {
    expect(crimeFindings(on('2017-04-02T12:00:00Z'))[0].details).toEqual({
      offenceCode: '71/17',
      offenceDate: '2017-04-02',
      commencedOn: '2017-04-03',
    });
  });
});
