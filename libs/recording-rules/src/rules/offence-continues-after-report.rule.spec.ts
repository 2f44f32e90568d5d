import { codesOf, crimeFindings, type CrimeCase } from '../testing/baseline.js';

describe('CF-DATE-009: offence going on after the report (warn)', () => {
  const d = (iso: string) => new Date(iso);
  it.each<CrimeCase>([
    ['baseline (offence ended before the report)', {}, []],
    ['offence ends at the report instant', { offenceTo: d('2018-05-01T10:00:00Z') }, []],
    [
      'offence ends a second after the report',
      { offenceTo: d('2018-05-01T10:00:01Z') },
      ['CF-DATE-009'],
    ],
    [
      'stalking still going on after recording',
      { offenceTo: d('2018-05-20T10:00:00Z') },
      ['CF-DATE-009'],
    ],
    ['single offence date', { offenceTo: null }, []],
    // The start of the offence after the report is still refused by CF-DATE-001, and the end then warns too.
    [
      'offence starting after the report',
      { offenceFrom: d('2018-05-01T11:00:00Z'), offenceTo: d('2018-05-02T10:00:00Z') },
      ['CF-DATE-001', 'CF-DATE-009'],
    ],
  ])('%s → %j', (_name, patch, expected) => {
    expect(codesOf(crimeFindings(patch))).toEqual(expected);
  });

  it('saves: the finding is a warning', () => {
    const [finding] = crimeFindings({ offenceTo: d('2018-05-20T10:00:00Z') });
    expect(finding).toMatchObject({ code: 'CF-DATE-009', severity: 'warn' });
    expect(finding.details).toEqual({
      offenceTo: '2018-05-20T10:00:00.000Z',
      reportedAt: '2018-05-01T10:00:00.000Z',
    });
  });
});
