import { codesOf, crimeFindings, testContext, type CrimeCase } from '../testing/baseline.js';

describe('CF-TIME-001: record within the NCRS limit of the report (R10)', () => {
  const reported = new Date('2018-05-01T10:00:00Z');
  const after = (ms: number) => ({ recordedAt: new Date(reported.getTime() + ms) });
  const H = 3_600_000;
  // A 2014-15 record: 8L (71/17 did not exist yet); online-flag rules do not apply before 2015.
  const in2014 = (hours: number) => ({
    offenceCode: '8L',
    offenceFrom: new Date('2014-06-01T10:00:00Z'),
    offenceTo: null,
    reportedAt: new Date('2014-06-02T10:00:00Z'),
    recordedAt: new Date(Date.parse('2014-06-02T10:00:00Z') + hours * H),
  });
  it.each<CrimeCase>([
    ['baseline (2h)', {}, []],
    ['exactly 24h', after(24 * H), []],
    ['24h + 1s', after(24 * H + 1000), ['CF-TIME-001']],
    ['2014-15, 48h (72h limit)', in2014(48), []],
    ['2014-15, 72h', in2014(72), []],
    ['2014-15, 73h', in2014(73), ['CF-TIME-001']],
  ])('%s → %j', (_name, patch, expected) => {
    // CF-DATE-002 refuses records before 2015-16; the 72h limit is checked with it off, as configured data.
    expect(
      codesOf(
        crimeFindings(patch, testContext({ settings: { 'CF-DATE-002': { enabled: false } } })),
      ),
    ).toEqual(expected);
  });

  it('warns with the hours and the limit', () => {
    expect(crimeFindings(after(30 * H))[0]).toMatchObject({
      severity: 'warn',
      details: { hours: 30, limitHours: 24 },
    });
  });
});
