import { codesOf, crimeFindings, testContext, type CrimeCase } from '../testing/baseline.js';

describe('CF-DATE-002: dates in range (recorded since the flag began, nothing in the future)', () => {
  const d = (iso: string) => new Date(iso);
  const now = Date.parse('2026-06-01T12:00:00Z');
  const ctx = { ...testContext(), now: () => now };
  const at = (iso: string) => {
    const t = d(iso);
    return { offenceFrom: t, offenceTo: t, reportedAt: t, recordedAt: t };
  };
  it.each<CrimeCase>([
    ['baseline', {}, []],
    // 1 April 2015 00:00 BST = 31 March 23:00Z.
    [
      'recorded at the first instant of 2015-16',
      { offenceCode: '8L', ...at('2015-03-31T23:00:00Z') },
      [],
    ],
    [
      'recorded one second before 2015-16',
      { offenceCode: '8L', ...at('2015-03-31T22:59:59Z') },
      ['CF-DATE-002'],
    ],
    ['recorded now', { ...at('2026-06-01T12:00:00Z') }, []],
    ['recorded five minutes ahead (clock skew)', { ...at('2026-06-01T12:05:00Z') }, []],
    [
      'recorded five minutes and a second ahead',
      { ...at('2026-06-01T12:05:01Z') },
      ['CF-DATE-002'],
    ],
    ['recorded in 9999', { ...at('9999-12-31T23:59:59Z') }, ['CF-DATE-002']],
    // Out of order as well: both rules speak.
    [
      'offence in 9999',
      { offenceFrom: d('9999-12-31T23:59:59Z'), offenceTo: null },
      ['CF-DATE-001', 'CF-DATE-002'],
    ],
    [
      'historic offence from 1900',
      { offenceCode: '8L', victimAge: 30, offenceFrom: d('1900-01-01T00:00:00Z'), offenceTo: null },
      [],
    ],
    [
      'offence date before 1900',
      { offenceCode: '8L', victimAge: 30, offenceFrom: d('1899-12-31T23:59:59Z'), offenceTo: null },
      ['CF-DATE-002'],
    ],
    ['invalid date (CF-DATE-001 reports it)', { recordedAt: d('not a date') }, ['CF-DATE-001']],
  ])('%s → %j', (_name, patch, expected) => {
    expect(codesOf(crimeFindings(patch, ctx))).toEqual(expected);
  });

  it('names what is out of range and the latest instant allowed', () => {
    const [finding] = crimeFindings(
      { offenceCode: '8L', ...at('2014-06-01T10:00:00Z') },
      ctx,
    ).filter((f) => f.code === 'CF-DATE-002');
    expect(finding).toMatchObject({
      severity: 'block',
      message: 'Date out of range: recordedAt before 2015-04-01',
      details: { problems: ['recordedAt before 2015-04-01'], latest: '2026-06-01T12:05:00.000Z' },
    });
    const [future] = crimeFindings(
      { reportedAt: d('2027-01-01T00:00:00Z'), recordedAt: d('2027-01-01T00:00:00Z') },
      ctx,
    );
    expect(future.details).toEqual({
      problems: ['in the future: reportedAt, recordedAt'],
      latest: '2026-06-01T12:05:00.000Z',
    });
  });

  it('takes the flag start, floor and tolerance from the config', () => {
    const tuned = {
      ...testContext({ flagStartYear: 2016, clockSkewToleranceSeconds: 0 }),
      now: () => now,
    };
    expect(
      codesOf(crimeFindings({ offenceCode: '8L', ...at('2016-01-01T12:00:00Z') }, tuned)),
    ).toEqual(['CF-DATE-002']);
    expect(codesOf(crimeFindings(at('2026-06-01T12:00:01Z'), tuned))).toEqual(['CF-DATE-002']);
  });

  it('uses the real clock when the context has none', () => {
    const hourAhead = new Date(Date.now() + 3_600_000);
    expect(
      codesOf(
        crimeFindings({
          offenceFrom: hourAhead,
          offenceTo: null,
          reportedAt: hourAhead,
          recordedAt: hourAhead,
        }),
      ),
    ).toEqual(['CF-DATE-002']);
  });
});
