import {
  cancellationFindings,
  codesOf,
  testContext,
  type CancellationCase,
} from '../testing/baseline.js';

describe('CF-CANCEL-002: only the FCR (or a configured role) cancels (R16)', () => {
  it.each<CancellationCase>([
    ['baseline (FCR)', {}, []],
    ['officer only', { decisionMakerRoles: ['officer'] }, ['CF-CANCEL-002']],
    ['no roles', { decisionMakerRoles: [] }, ['CF-CANCEL-002']],
    ['officer who is also FCR', { decisionMakerRoles: ['officer', 'force_crime_registrar'] }, []],
    [
      'DDM when not configured',
      { decisionMakerRoles: ['designated_decision_maker'] },
      ['CF-CANCEL-002'],
    ],
  ])('%s → %j', (_name, patch, expected) => {
    expect(codesOf(cancellationFindings(patch))).toEqual(expected);
  });

  it('accepts a DDM when the config authorises the role', () => {
    const ctx = testContext({
      cancellationRoles: ['force_crime_registrar', 'designated_decision_maker'],
    });
    expect(
      cancellationFindings({ decisionMakerRoles: ['designated_decision_maker'] }, undefined, ctx),
    ).toEqual([]);
  });
});
