// The authenticated caller, as every service sees it. Scope is explicit: a list of forces, or national.
export const ROLES = [
  'registrar',
  'force_crime_registrar',
  'statistician',
  'auditor',
  'admin',
] as const;
export type Role = (typeof ROLES)[number];

export interface Actor {
  userId: string;
  displayName: string;
  roles: Role[];
  // Forces whose record-level data the caller may touch; 'all' for national roles.
  forces: string[] | 'all';
}

export function canAccessForce(actor: Actor, forceId: string): boolean {
  return actor.forces === 'all' || actor.forces.includes(forceId);
}

export function hasRole(actor: Actor, ...roles: Role[]): boolean {
  return roles.some((r) => actor.roles.includes(r));
}
