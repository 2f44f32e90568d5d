import type { AccessAction, AccessEntry } from '#libs/access-log';
import { canAccessForce, type Actor, type RequestContext } from '#libs/auth';
import { DomainError } from '#libs/persistence';

// Every access through the auditor workspace is for the purpose of audit (issue 7 §5), whatever header
// the client sent: the access log then answers "what did auditors look at" with one filter.
export const AUDIT_PURPOSE = 'audit';

export function auditContext(ctx: RequestContext): RequestContext {
  return { ...ctx, purpose: AUDIT_PURPOSE };
}

export function assertForce(actor: Actor, forceId: string): void {
  if (!canAccessForce(actor, forceId))
    throw new DomainError('FORBIDDEN_SCOPE', `not allowed to audit force ${forceId}`);
}

// The forces a query covers: the one asked for (checked), else the caller's own; null = every force.
export function forcesFor(actor: Actor, forceId: string | undefined): string[] | null {
  if (forceId !== undefined) {
    assertForce(actor, forceId);
    return [forceId];
  }
  return actor.forces === 'all' ? null : [...actor.forces];
}

// A scope as a query parameter: null = every force.
export function scopeList(scope: readonly string[] | 'all'): string[] | null {
  return scope === 'all' ? null : [...scope];
}

export function accessEntry(
  ctx: RequestContext,
  action: AccessAction,
  forceIds: readonly string[],
  extra: { query?: Record<string, unknown>; recordIds?: string[]; recordCount: number },
): AccessEntry {
  return {
    userId: ctx.actor.userId,
    action,
    forceIds: [...forceIds],
    route: ctx.route,
    purpose: AUDIT_PURPOSE,
    query: extra.query ?? null,
    recordIds: extra.recordIds ?? [],
    recordCount: extra.recordCount,
    requestId: ctx.requestId,
  };
}
