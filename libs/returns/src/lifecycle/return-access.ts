// Shared by the return services: scope, record-level access, the caller's clock, row mapping.
import { canAccessForce, hasRole, type Actor, type RequestContext } from '#libs/auth';
import type { AccessAction, AccessEntry } from '#libs/access-log';
import { DomainError } from '#libs/persistence';
import { assertFlagYear, formatFinancialYear } from '#libs/recording-rules';
import { canonicalJson } from '../canonical-json.js';
import type { ForceReturnTables } from '../return-tables.js';
import type { EventRow, RevisionRow } from './lifecycle.query.js';
import type { ReturnEventView, RevisionSummary } from './lifecycle.types.js';

export const RETURNS_CLOCK = Symbol('RETURNS_CLOCK');
export type Clock = () => Date;

// Every entry point of a force-year return: a year with flag figures (422 before 2015-16, whoever
// calls: API or CLI), then the force in the caller's scope (403, README "Force scoping twice over").
export function assertReturnAccess(actor: Actor, forceId: string, year: number): void {
  assertFlagYear(year);
  assertForceScope(actor, forceId);
}

export function assertForceScope(actor: Actor, forceId: string): void {
  if (!canAccessForce(actor, forceId))
    throw new DomainError('FORBIDDEN_SCOPE', `not allowed to read the return of force ${forceId}`);
}

// Statisticians work on aggregates: lists of records (references, ids) go to registrars and auditors.
export function seesRecords(actor: Actor): boolean {
  return hasRole(actor, 'registrar', 'force_crime_registrar', 'auditor');
}

// Same data: the tables as submitted, ignoring only when they were generated.
export function sameData(a: ForceReturnTables, b: ForceReturnTables): boolean {
  const strip = (t: ForceReturnTables) =>
    canonicalJson({ ...t, metadata: { ...t.metadata, generatedAt: '' } });
  return strip(a) === strip(b);
}

export function accessEntry(
  ctx: RequestContext,
  action: AccessAction,
  forceId: string,
  query: Record<string, unknown>,
  recordIds: string[] = [],
): AccessEntry {
  return {
    userId: ctx.actor.userId,
    action,
    forceIds: [forceId],
    route: ctx.route,
    purpose: ctx.purpose,
    query,
    recordIds: [...new Set(recordIds)],
    recordCount: new Set(recordIds).size,
    requestId: ctx.requestId,
  };
}

export function toSummary(r: RevisionRow): RevisionSummary {
  return {
    revision: r.revision,
    sha256: r.sha256,
    highWater: r.high_water,
    submittedAt: new Date(r.submitted_at).toISOString(),
    submittedBy: r.submitted_by,
    signedOffName: r.signed_off_name,
  };
}

export function toEvent(e: EventRow): ReturnEventView {
  return {
    revision: e.revision,
    action: e.action,
    fromState: e.from_state,
    toState: e.to_state,
    reason: e.reason,
    at: new Date(e.at).toISOString(),
    by: e.by_user,
  };
}

export const yearLabel = formatFinancialYear;
