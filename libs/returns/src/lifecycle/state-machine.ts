// The return's state machine, pure: which transitions exist, and which of them a caller may take.
// The service applies the result in one transaction with an event row (who, when, why).
import { canAccessForce, hasRole, type Actor } from '#libs/auth';
import { DomainError } from '#libs/persistence';
import type { ReturnAction, ReturnState } from './lifecycle.types.js';

export interface ReturnFacts {
  forceId: string;
  state: ReturnState;
  // The live data differs from the latest revision (always true while no revision exists).
  dataChanged: boolean;
}

// Who takes each transition: the force crime registrar of that force signs off and submits (domain
// §15: the FCR is the arbiter of returns); the national statistics team accepts or returns.
function roleAllows(actor: Actor, action: ReturnAction, forceId: string): boolean {
  switch (action) {
    case 'submit':
    case 'resubmit':
    case 'revise':
      return hasRole(actor, 'force_crime_registrar') && canAccessForce(actor, forceId);
    case 'accept':
    case 'return':
      return hasRole(actor, 'statistician');
  }
}

// The transitions that exist from a state, whoever asks. A revision is only re-sent when the
// data changed (from 'returned' the statistics team asked for one, so it may be re-sent as is).
export function availableActions(f: ReturnFacts): ReturnAction[] {
  switch (f.state) {
    case 'draft':
      return ['submit'];
    case 'submitted':
    case 'revised': // a revision of a published return, awaiting the statistics team like a submission
      return f.dataChanged ? ['resubmit', 'accept', 'return'] : ['accept', 'return'];
    case 'accepted':
      return f.dataChanged ? ['resubmit'] : [];
    case 'returned':
      return ['resubmit'];
    case 'locked':
      // Published: the locked revision is never changed; a correction is a new revision (README
      // "Corrections after publication"), offered only when the data changed.
      return f.dataChanged ? ['revise'] : [];
  }
}

export function allowedActions(actor: Actor, f: ReturnFacts): ReturnAction[] {
  return availableActions(f).filter((a) => roleAllows(actor, a, f.forceId));
}

export const NEXT_STATE: Record<ReturnAction, ReturnState> = {
  submit: 'submitted',
  resubmit: 'submitted',
  revise: 'revised',
  accept: 'accepted',
  return: 'returned',
};

// POST …/submit means 'submit' on a draft, 'revise' on a locked (published) return and 'resubmit'
// on any other return that has a revision.
export function submissionAction(state: ReturnState): ReturnAction {
  return state === 'draft' ? 'submit' : state === 'locked' ? 'revise' : 'resubmit';
}

// Refuses what the state does not allow (409), then what the caller's role or force does not (403).
export function assertTransition(actor: Actor, f: ReturnFacts, action: ReturnAction): ReturnState {
  if (!availableActions(f).includes(action)) {
    const why =
      f.state === 'locked'
        ? action === 'revise'
          ? 'the return is locked by the national publication and nothing changed since: a revision needs changed data'
          : 'the return is locked by the national publication'
        : action === 'resubmit' &&
            (f.state === 'submitted' || f.state === 'accepted' || f.state === 'revised')
          ? 'nothing changed since the latest revision'
          : `not possible from state '${f.state}'`;
    throw new DomainError('INVALID_TRANSITION', `cannot ${action} the return: ${why}`, {
      state: f.state,
      action,
    });
  }
  if (!roleAllows(actor, action, f.forceId)) {
    throw new DomainError(
      'FORBIDDEN_SCOPE',
      `not allowed to ${action} the return of force ${f.forceId}`,
    );
  }
  // A revision of a published return sent again before review is still a correction after publication.
  return f.state === 'revised' && action === 'resubmit' ? 'revised' : NEXT_STATE[action];
}
