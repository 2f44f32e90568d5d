import { codesOf, crimeFindings, type CrimeCase } from '../testing/baseline.js';

describe('CF-DATE-001: offence start ≤ end; offence start ≤ reported ≤ recorded (R9)', () => {
  const d = (iso: string) => new Date(iso);
  it.each<CrimeCase>([
    ['baseline', {}, []],
    ['single offence date', { offenceTo: null }, []],
    [
      'all equal',
      { offenceFrom: d('2018-05-01T10:00:00Z'), offenceTo: d('2018-05-01T10:00:00Z') },
      [],
    ],
    ['offence end before start', { offenceTo: d('2018-04-19T18:00:00Z') }, ['CF-DATE-001']],
    // Issue 20: an offence still going on after the report is a warning (CF-DATE-009), no longer CF-DATE-001.
    ['reported before offence end', { offenceTo: d('2018-05-01T11:00:00Z') }, ['CF-DATE-009']],
    [
      'reported before single offence date',
      { offenceFrom: d('2018-05-01T10:00:01Z'), offenceTo: null },
      ['CF-DATE-001'],
    ],
    ['recorded before reported', { recordedAt: d('2018-05-01T09:59:59Z') }, ['CF-DATE-001']],
    ['invalid offence date', { offenceFrom: d('not a date') }, ['CF-DATE-001']],
    ['invalid recorded date', { recordedAt: d('not a date') }, ['CF-DATE-001']],
  ])('%s → %j', (_name, patch, expected) => {
    expect(codesOf(crimeFindings(patch))).toEqual(expected);
  });

  it('names each pair out of order', () => {
    expect(
      crimeFindings({
        offenceFrom: d('2018-05-02T00:00:00Z'),
        offenceTo: d('2018-04-30T00:00:00Z'),
      })[0].details,
    ).toEqual({
      outOfOrder: ['offenceFrom > offenceTo', 'offenceFrom > reportedAt'],
    });
  });

  it('names the pair out of order', () => {
    expect(crimeFindings({ recordedAt: d('2018-05-01T09:00:00Z') })[0].details).toEqual({
      outOfOrder: ['reportedAt > recordedAt'],
    });
  });
});
