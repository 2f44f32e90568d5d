import { pathOf, type HttpReply, type HttpRequest, type Role } from '#libs/auth';
import type { Catalogue } from '#libs/catalogue';
import { csrfToken } from './web-csrf.js';
import { views } from './views.js';

// A page's query string values are strings (or arrays of them when repeated), as Express's were.
export type PageRequest = HttpRequest & { query: Record<string, string | string[] | undefined> };

const ROLE_LABELS: Record<Role, string> = {
  registrar: 'Registrar',
  force_crime_registrar: 'Force crime registrar',
  auditor: 'Auditor',
  statistician: 'Statistician',
  admin: 'Administrator',
};

interface NavItem {
  href: string;
  text: string;
  roles: Role[] | 'all';
}
const NAV: NavItem[] = [
  { href: '/', text: 'Home', roles: 'all' },
  {
    href: '/records',
    text: 'Crime records',
    roles: ['registrar', 'force_crime_registrar', 'auditor'],
  },
  { href: '/records/new', text: 'Record a crime', roles: ['registrar', 'force_crime_registrar'] },
  { href: '/n100-reports', text: 'N100 reports', roles: ['force_crime_registrar'] },
  { href: '/uploads', text: 'Imports', roles: ['registrar', 'force_crime_registrar', 'auditor'] },
  {
    href: '/annual-returns',
    text: 'Annual returns',
    roles: ['registrar', 'force_crime_registrar', 'statistician', 'auditor'],
  },
  { href: '/year-tracker', text: 'Year tracker', roles: ['statistician'] },
  { href: '/national-figures', text: 'National figures', roles: ['statistician'] },
  { href: '/national-publications', text: 'Publications', roles: ['statistician'] },
  { href: '/auditing/completeness', text: 'Completeness', roles: ['auditor'] },
  { href: '/auditing/under-use', text: 'Under-use', roles: ['auditor'] },
  {
    href: '/auditing/review',
    text: 'Review queue',
    roles: ['auditor', 'registrar', 'force_crime_registrar'],
  },
  { href: '/auditing/audits', text: 'Sample audits', roles: ['auditor'] },
  { href: '/auditing/access-log', text: 'Access log', roles: ['auditor'] },
];

export interface ErrorItem {
  text: string;
  href: string;
}

// What every page's layout needs: who is signed in (name, roles, forces), navigation by role, the CSRF token for
// its forms, the CSP nonce for its one module script, and the idle timeout the script warns about.
export function pageLocals(
  req: PageRequest,
  res: HttpReply,
  catalogue: Catalogue,
  extra: Record<string, unknown>,
): Record<string, unknown> {
  const actor = req.actor;
  const path = pathOf(req);
  const user = actor && {
    displayName: actor.displayName,
    roleLabels: actor.roles.map((r) => ROLE_LABELS[r]).join(', '),
    forcesLabel:
      actor.forces === 'all'
        ? 'all forces'
        : actor.forces.map((f) => catalogue.force(f)?.name ?? f).join(', ') || 'no force',
  };
  const nav = actor
    ? NAV.filter((n) => n.roles === 'all' || n.roles.some((r) => actor.roles.includes(r))).map(
        (n) => ({
          href: n.href,
          text: n.text,
          active:
            n.href === '/'
              ? path === '/'
              : path === n.href || (path.startsWith(`${n.href}/`) && n.href !== '/records'),
        }),
      )
    : [];
  // 'Crime records' is active on record pages but not on the new-record form, which has its own item.
  for (const n of nav)
    if (n.href === '/records')
      n.active = path === '/records' || /^\/records\/[0-9a-f-]{36}/.test(path);
  return {
    user,
    nav,
    csrfToken: csrfToken(req, res),
    cspNonce: res.locals.cspNonce,
    idleSeconds: res.locals.idleSeconds,
    ...extra,
  };
}

export function render(
  req: PageRequest,
  res: HttpReply,
  catalogue: Catalogue,
  view: string,
  locals: Record<string, unknown>,
): void {
  sendView(res, view, pageLocals(req, res, catalogue, locals));
}

// A Nunjucks view as the response's HTML (what Express's res.render did).
export function sendView(res: HttpReply, view: string, locals: Record<string, unknown>): void {
  void res.type('text/html; charset=utf-8').send(views().render(`${view}.njk`, locals));
}
