import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { DomainError } from '#libs/persistence';
import { ROLES, type Actor, type Role } from './actor.js';
import { hashPassword, passwordProblem } from './passwords.js';

export interface NewUser {
  username: string;
  displayName: string;
  password: string;
  roles: Role[];
  forceIds: string[];
  allForces: boolean;
}
export interface UserChanges {
  displayName?: string;
  roles?: Role[];
  forceIds?: string[];
  allForces?: boolean;
  active?: boolean;
  password?: string;
}
export interface UserView {
  id: string;
  username: string;
  displayName: string;
  roles: Role[];
  forceIds: string[];
  allForces: boolean;
  active: boolean;
  lockedUntil: Date | null;
  createdAt: Date;
  createdBy: string;
}
export interface UserRow {
  id: string;
  username: string;
  display_name: string;
  password_hash: string;
  roles: Role[];
  force_ids: string[];
  all_forces: boolean;
  active: boolean;
  failed_logins: number; // no longer written: login throttling is in login_throttle
  locked_until: Date | null; // no longer written
  throttled_until?: Date | null; // where selected: the end of the account-wide login delay
  created_at: Date;
  created_by: string;
}

// Roles whose work is national by nature; others must name their forces.
const NATIONAL_ONLY: Role[] = ['statistician'];
const NO_FORCE: Role[] = ['admin'];

export function toActor(u: UserRow): Actor {
  return {
    userId: u.username,
    displayName: u.display_name,
    roles: u.roles,
    forces: u.all_forces ? 'all' : u.force_ids,
  };
}

// The end of the account's login delay across all sources (login-throttle.ts accountKey, spelled in SQL).
const THROTTLED_UNTIL = `(SELECT t.blocked_until FROM login_throttle t
  WHERE t.key = sha256(convert_to('account' || chr(10) || users.username, 'UTF8')) AND t.blocked_until > now()) AS throttled_until`;

function toView(u: UserRow): UserView {
  return {
    id: u.id,
    username: u.username,
    displayName: u.display_name,
    roles: u.roles,
    forceIds: u.force_ids,
    allForces: u.all_forces,
    active: u.active,
    lockedUntil: u.throttled_until ?? null,
    createdAt: u.created_at,
    createdBy: u.created_by,
  };
}

@Injectable()
export class UsersService {
  constructor(private readonly ds: DataSource) {}

  async create(
    createdBy: string,
    u: NewUser,
    validForce: (id: string) => boolean,
  ): Promise<UserView> {
    this.checkShape(u.roles, u.forceIds, u.allForces, validForce);
    const problem = passwordProblem(u.password);
    if (problem) throw new DomainError('INVALID_INPUT', problem);
    const hash = await hashPassword(u.password);
    try {
      const [row]: UserRow[] = await this.ds.query(
        `INSERT INTO users (username, display_name, password_hash, roles, force_ids, all_forces, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
        [u.username, u.displayName, hash, u.roles, u.forceIds, u.allForces, createdBy],
      );
      return toView(row);
    } catch (e) {
      if (
        (e as { driverError?: { constraint?: string } }).driverError?.constraint ===
        'uq_users_username'
      ) {
        throw new DomainError('DUPLICATE_REFERENCE', `user ${u.username} already exists`);
      }
      throw e;
    }
  }

  async update(id: string, c: UserChanges, validForce: (id: string) => boolean): Promise<UserView> {
    return this.ds.transaction(async (em) => {
      const current = await this.byId(em, id);
      const roles = c.roles ?? current.roles;
      const forceIds = c.forceIds ?? current.force_ids;
      const allForces = c.allForces ?? current.all_forces;
      this.checkShape(roles, forceIds, allForces, validForce);
      if (c.password !== undefined) {
        const problem = passwordProblem(c.password);
        if (problem) throw new DomainError('INVALID_INPUT', problem);
      }
      const hash =
        c.password !== undefined ? await hashPassword(c.password) : current.password_hash;
      // TypeORM answers an UPDATE with [rows, count].
      const [[row]]: [UserRow[], number] = await em.query(
        `UPDATE users SET display_name = $2, roles = $3, force_ids = $4, all_forces = $5, active = $6, password_hash = $7,
           updated_at = now()
         WHERE id = $1 RETURNING *, ${THROTTLED_UNTIL}`,
        [
          id,
          c.displayName ?? current.display_name,
          roles,
          forceIds,
          allForces,
          c.active ?? current.active,
          hash,
        ],
      );
      // A new password ends the account's login delays (an administrator's way to let a throttled user in).
      if (c.password !== undefined) {
        await em.query(
          `DELETE FROM login_throttle WHERE account = sha256(convert_to('account' || chr(10) || $1, 'UTF8'))`,
          [row.username],
        );
        row.throttled_until = null;
      }
      // Deactivating a user or changing their access or password ends their sessions.
      const accessChanged = [c.roles, c.forceIds, c.allForces, c.active, c.password].some(
        (v) => v !== undefined,
      );
      if (accessChanged)
        await em.query(
          `UPDATE auth_sessions SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL`,
          [id],
        );
      return toView(row);
    });
  }

  async list(): Promise<UserView[]> {
    const rows: UserRow[] = await this.ds.query(
      `SELECT *, ${THROTTLED_UNTIL} FROM users ORDER BY username`,
    );
    return rows.map(toView);
  }

  async count(): Promise<number> {
    const [r]: { n: string }[] = await this.ds.query(`SELECT count(*) AS n FROM users`);
    return Number(r.n);
  }

  async byUsername(username: string): Promise<UserRow | undefined> {
    const rows: UserRow[] = await this.ds.query(`SELECT * FROM users WHERE username = $1`, [
      username,
    ]);
    return rows[0];
  }

  private async byId(em: EntityManager, id: string): Promise<UserRow> {
    const rows: UserRow[] = await em.query(`SELECT * FROM users WHERE id = $1 FOR UPDATE`, [id]);
    if (!rows[0]) throw new DomainError('NOT_FOUND', `user ${id} not found`);
    return rows[0];
  }

  private checkShape(
    roles: Role[],
    forceIds: string[],
    allForces: boolean,
    validForce: (id: string) => boolean,
  ): void {
    if (roles.length === 0 || roles.some((r) => !ROLES.includes(r)))
      throw new DomainError('INVALID_INPUT', 'unknown or missing role');
    const bad = forceIds.filter((f) => !validForce(f));
    if (bad.length) throw new DomainError('INVALID_INPUT', `unknown force(s): ${bad.join(', ')}`);
    if (roles.some((r) => NATIONAL_ONLY.includes(r)) && !allForces) {
      throw new DomainError('INVALID_INPUT', 'a statistician works nationally: set allForces');
    }
    const needsForce = roles.some((r) => !NO_FORCE.includes(r) && !NATIONAL_ONLY.includes(r));
    if (needsForce && !allForces && forceIds.length === 0) {
      throw new DomainError(
        'INVALID_INPUT',
        'name the forces this user works for, or set allForces',
      );
    }
    if (allForces && roles.some((r) => r === 'registrar' || r === 'force_crime_registrar')) {
      throw new DomainError('INVALID_INPUT', 'registrars work for named forces, not all forces');
    }
  }
}
