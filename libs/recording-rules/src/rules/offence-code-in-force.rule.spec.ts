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
      {
        offenceFrom: new Date('2017-03-01T12:00:00Z'),
        offenceTo: new Date('2017-04-10T12:00:00Z'),
      },
      [],
    ],
    // Historic allegation under a code with no commencement limit: recorded as if committed today.
    [
      'historic harassment from 1990 recorded in 2018',
      { offenceCode: '8L', victimAge: 30, ...on('1990-06-01T12:00:00Z') },
      [],
    ],
    [
      // Recorded before the flag began, so CF-DATE-002 refuses it too.
      'code recorded before the code table has it',
      {
        offenceCode: 'OLD-TEST',
        victimAge: 30,
        ...on('1999-06-01T12:00:00Z'),
        reportedAt: new Date('1999-06-02T12:00:00Z'),
        recordedAt: new Date('1999-06-02T13:00:00Z'),
      },
      ['CF-CODE-002', 'CF-DATE-002'],
    ],
    [
      'retired code recorded after its end',
      { offenceCode: 'OLD-TEST', victimAge: 30, ...on('2009-06-01T12:00:00Z') },
      ['CF-CODE-002'],
    ],
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

  // Issue 20: a year's records use the codes in force that year; validity follows the recorded date.
  describe('dated catalogue', () => {
    const recorded = (iso: string) => ({
      reportedAt: new Date(iso),
      recordedAt: new Date(iso),
      offenceFrom: new Date('2015-05-01T12:00:00Z'),
      offenceTo: null,
    });
    const burglary = { offenceCode: '28A', victimAge: 40 };
    it.each<CrimeCase>([
      ['28A recorded in 2015-16', { ...burglary, ...recorded('2015-09-01T12:00:00Z') }, []],
      [
        '28A recorded 31 March 2017 (its last day, BST not yet)',
        { ...burglary, ...recorded('2017-03-31T22:59:00Z') },
        [],
      ],
      [
        '28A recorded 1 April 2017 00:30 BST',
        { ...burglary, ...recorded('2017-03-31T23:30:00Z') },
        ['CF-CODE-002'],
      ],
      [
        '28A recorded in 2018 for a 2015 burglary',
        { ...burglary, ...recorded('2018-06-01T12:00:00Z') },
        ['CF-CODE-002'],
      ],
      [
        '28E recorded in 2015-16',
        { offenceCode: '28E', victimAge: 40, ...recorded('2015-09-01T12:00:00Z') },
        ['CF-CODE-002'],
      ],
      [
        '28E recorded in 2018 for a 2015 burglary (as if committed today)',
        { offenceCode: '28E', victimAge: 40, ...recorded('2018-06-01T12:00:00Z') },
        [],
      ],
      [
        '72 recorded on 30 July 2015',
        { offenceCode: '72', victimAge: 30, ...recorded('2015-07-30T12:00:00Z') },
        [],
      ],
      [
        '72 recorded in August 2015',
        { offenceCode: '72', victimAge: 30, ...recorded('2015-08-10T12:00:00Z') },
        ['CF-CODE-002'],
      ],
      [
        '106 recorded in August 2015',
        { offenceCode: '106', victimAge: 30, ...recorded('2015-08-10T12:00:00Z') },
        [],
      ],
      [
        '106 recorded in June 2015',
        { offenceCode: '106', victimAge: 30, ...recorded('2015-06-10T12:00:00Z') },
        ['CF-CODE-002'],
      ],
    ])('%s → %j', (_name, patch, expected) => {
      expect(codesOf(crimeFindings(patch))).toEqual(expected);
    });

    it('names the code, the recording year and the replacement', () => {
      const [finding] = crimeFindings({ ...burglary, ...recorded('2018-06-01T12:00:00Z') });
      expect(finding.message).toBe(
        'Offence code 28A is not in force for records made in 2018-19 (2018-06-01): withdrawn after 2017-03-31; record under 28E',
      );
      expect(finding.details).toEqual({
        offenceCode: '28A',
        recordedDate: '2018-06-01',
        recordedYear: '2018-19',
        validTo: '2017-03-31',
        replacedBy: ['28E'],
      });
    });

    it('refuses 72 in August 2015 in favour of 106', () => {
      const [finding] = crimeFindings({
        offenceCode: '72',
        victimAge: 30,
        ...recorded('2015-08-10T12:00:00Z'),
      });
      expect(finding.message).toBe(
        'Offence code 72 is not in force for records made in 2015-16 (2015-08-10): withdrawn after 2015-07-30; record under 106',
      );
    });

    it('names the year when a code is not yet in the table', () => {
      const [finding] = crimeFindings({
        offenceCode: '28E',
        victimAge: 40,
        ...recorded('2015-09-01T12:00:00Z'),
      });
      expect(finding.message).toBe(
        'Offence code 28E is not in the code table for records made in 2015-16 (2015-09-01): it applies from 2017-04-01',
      );
    });
  });
});
