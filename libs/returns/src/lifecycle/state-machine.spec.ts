import type { Actor, Role } from '#libs/auth';
import { DomainError } from '#libs/persistence';
import type { ReturnAction, ReturnState } from './lifecycle.types.js';
import { allowedActions, assertTransition, availableActions } from './state-machine.js';

const actor = (roles: Role[], forces: string[] | 'all'): Actor => ({
  userId: roles.join('+'),
  displayName: 'Test',
  roles,
  forces,
});
const fcr = actor(['force_crime_registrar'], ['gwent']);
const registrar = actor(['registrar'], ['gwent']);
const otherFcr = actor(['force_crime_registrar'], ['dorset']);
const statistician = actor(['statistician'], 'all');
const auditor = actor(['auditor'], 'all');

describe('return state machine', () => {
  it.each<[ReturnState, boolean, ReturnAction[]]>([
    ['draft', true, ['submit']],
    ['submitted', false, ['accept', 'return']],
    ['submitted', true, ['resubmit', 'accept', 'return']],
    ['accepted', false, []],
    ['accepted', true, ['resubmit']],
    ['returned', false, ['resubmit']],
    ['locked', false, []],
    ['locked', true, ['revise']],
    ['revised', false, ['accept', 'return']],
    ['revised', true, ['resubmit', 'accept', 'return']],
  ])('from %s (data changed: %s) the transitions are %j', (state, dataChanged, expected) => {
    expect(availableActions({ forceId: 'gwent', state, dataChanged })).toEqual(expected);
  });

  describe('when filtered by who asks', () => {
    const f = { forceId: 'gwent', state: 'submitted' as const, dataChanged: true };
    it.each<[string, Actor, ReturnAction[]]>([
      ['the FCR of the force', fcr, ['resubmit']],
      ['a registrar', registrar, []],
      ['the FCR of another force', otherFcr, []],
      ['a statistician', statistician, ['accept', 'return']],
      ['an auditor', auditor, []],
    ])('%s may %j', (_, who, expected) => {
      expect(allowedActions(who, f)).toEqual(expected);
    });
  });

  it('answers an impossible transition with INVALID_TRANSITION, and a wrong caller with FORBIDDEN_SCOPE', () => {
    const code = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        return (e as DomainError).code;
      }
      return null;
    };
    expect(
      code(() =>
        assertTransition(
          statistician,
          { forceId: 'gwent', state: 'draft', dataChanged: true },
          'accept',
        ),
      ),
    ).toBe('INVALID_TRANSITION');
    expect(
      code(() =>
        assertTransition(fcr, { forceId: 'gwent', state: 'locked', dataChanged: true }, 'resubmit'),
      ),
    ).toBe('INVALID_TRANSITION');
    expect(
      code(() =>
        assertTransition(
          fcr,
          { forceId: 'gwent', state: 'accepted', dataChanged: false },
          'resubmit',
        ),
      ),
    ).toBe('INVALID_TRANSITION');
    expect(
      code(() =>
        assertTransition(
          otherFcr,
          { forceId: 'gwent', state: 'draft', dataChanged: true },
          'submit',
        ),
      ),
    ).toBe('FORBIDDEN_SCOPE');
    expect(
      assertTransition(
        fcr,
        { forceId: 'gwent', state: 'returned', dataChanged: false },
        'resubmit',
      ),
    ).toBe('submitted');
    expect(
      assertTransition(
        statistician,
        { forceId: 'gwent', state: 'submitted', dataChanged: false },
        'return',
      ),
    ).toBe('returned');
    // Correction after publication: the force's FCR revises a locked return whose data changed.
    expect(
      code(() =>
        assertTransition(fcr, { forceId: 'gwent', state: 'locked', dataChanged: false }, 'revise'),
      ),
    ).toBe('INVALID_TRANSITION');
    expect(
      code(() =>
        assertTransition(
          registrar,
          { forceId: 'gwent', state: 'locked', dataChanged: true },
          'revise',
        ),
      ),
    ).toBe('FORBIDDEN_SCOPE');
    expect(
      code(() =>
        assertTransition(
          otherFcr,
          { forceId: 'gwent', state: 'locked', dataChanged: true },
          'revise',
        ),
      ),
    ).toBe('FORBIDDEN_SCOPE');
    expect(
      assertTransition(fcr, { forceId: 'gwent', state: 'locked', dataChanged: true }, 'revise'),
    ).toBe('revised');
    expect(
      assertTransition(
        statistician,
        { forceId: 'gwent', state: 'revised', dataChanged: false },
        'accept',
      ),
    ).toBe('accepted');
    expect(
      assertTransition(fcr, { forceId: 'gwent', state: 'revised', dataChanged: true }, 'resubmit'),
    ).toBe('revised');
  });
});
