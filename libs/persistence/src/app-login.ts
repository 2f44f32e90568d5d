import { Injectable, type OnModuleInit } from '@nestjs/common';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { APP_DB_ROLE } from './scoped-db.js';

// Issue #18 finding 7: the app logs in as its own role, never as the owner or a superuser, so a `RESET ROLE`
// (through some future SQL injection, say) leaves it exactly as unprivileged. That LOGIN role is a member of the
// group role cyberflag_app, which the migrations grant every privilege the app needs; migrations run as the owner.

export interface AppLogin {
  user: string;
  password: string;
}

// The app's login role for a database made here (embedded server, tests): one per database, since roles are
// cluster-wide and several databases (parallel test runs) may share a server.
export const appLoginRole = (database: string): string => `${database}_app_login`;

// The app's connection string: the owner's, with the app role's name and password.
export function appLoginUrl(ownerUrl: string, login: AppLogin): string {
  const u = new URL(ownerUrl);
  u.username = login.user;
  u.password = login.password;
  return u.toString();
}

// As the owner, after the migrations (which create cyberflag_app). With a password: create or update the login role
// (a server this app set up: embedded, tests). Without: the role exists (a real server's administrator made it,
// README "A real PostgreSQL server") and only joins cyberflag_app. Idempotent, and safe when two databases on one
// server do it at once.
export async function provisionAppLogin(
  ownerUrl: string,
  login: { user: string; password?: string },
): Promise<void> {
  const c = new pg.Client({ connectionString: ownerUrl });
  await c.connect();
  try {
    const role = c.escapeIdentifier(login.user);
    if (login.password !== undefined) {
      const attrs = `LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS NOREPLICATION INHERIT PASSWORD ${c.escapeLiteral(login.password)}`;
      const exists = await c.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [login.user]);
      if (exists.rowCount === 0) {
        try {
          await c.query(`CREATE ROLE ${role} ${attrs}`);
        } catch (e) {
          // Made meanwhile by another process: update it instead.
          if ((e as { code?: string }).code !== '42710') throw e;
          await c.query(`ALTER ROLE ${role} ${attrs}`);
        }
      } else {
        await c.query(`ALTER ROLE ${role} ${attrs}`);
      }
    }
    try {
      await c.query(`GRANT ${APP_DB_ROLE} TO ${role}`);
    } catch (e) {
      throw new Error(
        `cannot grant ${APP_DB_ROLE} to ${login.user} as the database owner (${e instanceof Error ? e.message : String(e)}): ` +
          `run "GRANT ${APP_DB_ROLE} TO ${login.user}" as an administrator of the server`,
        { cause: e },
      );
    }
  } finally {
    await c.end();
  }
}

export interface LoginPrivileges {
  user: string;
  superuser: boolean;
  bypassRls: boolean;
  member: boolean; // of cyberflag_app
  owner: boolean; // owns (or inherits the owner of) the schema's tables
}

export async function loginPrivileges(ds: DataSource): Promise<LoginPrivileges> {
  const [r]: {
    user: string;
    superuser: boolean;
    bypass: boolean;
    member: boolean;
    owner: boolean;
  }[] = await ds.query(
    `SELECT current_user AS user, r.rolsuper AS superuser, r.rolbypassrls AS bypass,
       pg_has_role(current_user, $1, 'USAGE') AS member,
       EXISTS (SELECT 1 FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r'
         AND pg_has_role(current_user, c.relowner, 'USAGE')) AS owner
     FROM pg_roles r WHERE r.rolname = current_user`,
    [APP_DB_ROLE],
  );
  return {
    user: r.user,
    superuser: r.superuser,
    bypassRls: r.bypass,
    member: r.member,
    owner: r.owner,
  };
}

export function leastPrivilegeProblem(p: LoginPrivileges): string | null {
  if (p.superuser) return `${p.user} is a superuser`;
  if (p.bypassRls) return `${p.user} bypasses row-level security`;
  if (p.owner) return `${p.user} owns tables (owners bypass row-level security)`;
  if (!p.member) return `${p.user} is not a member of ${APP_DB_ROLE}`;
  return null;
}

// The app refuses to start on a connection that row-level security would not bind.
@Injectable()
export class LeastPrivilegeCheck implements OnModuleInit {
  constructor(private readonly ds: DataSource) {}

  async onModuleInit(): Promise<void> {
    const problem = leastPrivilegeProblem(await loginPrivileges(this.ds));
    if (problem)
      throw new Error(
        `the app must log in as its own unprivileged role (DATABASE_APP_URL; README "A real PostgreSQL server"): ${problem}`,
      );
  }
}
