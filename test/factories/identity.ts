import type { Role } from '#libs/auth';

// Development identity headers (replaced by real tokens when login lands).
export function as(user: string, roles: Role[], force: string | 'all'): Record<string, string> {
  return { 'x-dev-user': user, 'x-dev-roles': roles.join(','), 'x-dev-force': force };
}

export const derbyshireRegistrar = as('reg.derbyshire', ['registrar'], 'derbyshire');
export const derbyshireFcr = as('fcr.derbyshire', ['force_crime_registrar'], 'derbyshire');
export const lincolnshireRegistrar = as('reg.lincolnshire', ['registrar'], 'lincolnshire');
export const lincolnshireFcr = as('fcr.lincolnshire', ['force_crime_registrar'], 'lincolnshire');
export const nationalAuditor = as('auditor.national', ['auditor'], 'all');
export const statistician = as('stats.national', ['statistician'], 'all');
