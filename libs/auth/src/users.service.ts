import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { AccessLogService } from '#libs/access-log';
import { DomainError } from '#libs/persistence';
import { ROLES, type Actor, type Role } from './actor.js';
import { hashPassword, passwordProblem } from './passwords.js';
import type { RequestContext } from './request-context.js';
import { SessionCache } from './session-cache.js';

export interface NewUser {
  username: string;
  displayName: string;
  password: string;
  roles: Role[];
  forceIds: string[];
  allForces: boolean;
}
// What an administrator gives for a new account: never a password (issue #18 finding 6).
export type InvitedUser = Omit<NewUser, 'password'>;
export interface UserChanges {
  displayName?: string;
  roles?: Role[];
  forceIds?: string[];
  allForces?: boolean;
  active?: boolean;
  // Trusted code only (tests, operators): sets a known password. Administrators reset instead.
  password?: string;
  // The password stops working; the user signs in once with a one-time password and chooses a new one.
  resetPassword?: boolean;
}
export interface UserView {
  id: string;
  username: string;
  displayName: string;
  roles: Role[];
  forceIds: string[];
  allForces: boolean;
  active: boolean;
  mustSetPassword: boolean;
  lockedUntil: Date | null;
  createdAt: Date;
  createdBy: string;
}
// An account made or reset by an administrator: the one-time password, shown once, for its user only.
export interface IssuedUserView extends UserView {
  oneTimePassword?: string;
  oneTimePasswordExpiresAt?: Date;
}
// No credential is ever read back: the app's database role cannot select them (migration 1780000020100).
export interface UserRow {
  id: string;
  username: string;
  display_name: string;
  roles: Role[];
  force_ids: string[];
  all_forces: boolean;
  active: boolean;
  must_set_password: boolean;
  one_time_expires_at: Date | null;
  throttled_until?: Date | null; // where selected: the end of the account-wide login delay
  created_at: Date;
  created_by: string;
}
export const USER_COLUMNS = `id, username, display_name, roles, force_ids, all_forces, active, must_set_password,
  one_time_expires_at, created_at, created_by`;

// Roles whose work is national by nature; others must name their forces.
const NATIONAL_ONLY: Role[] = ['statistician'];
const NO_FORCE: Role[] = ['admin'];
// How long a one-time password lets its user in to choose their own.
export const ONE_TIME_PASSWORD_DAYS = 7;

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
    mustSetPassword: u.must_set_password,
    lockedUntil: u.throttled_until ?? null,
    createdAt: u.created_at,
    createdBy: u.created_by,
  };
}

// Who did it, for the access log: an administrator's request, or trusted code (seeding, the CLI).
type Author = RequestContext | string;
const authorId = (a: Author) => (typeof a === 'string' ? a : a.actor.userId);

@Injectable()
export class UsersService {
  constructor(
    private readonly ds: DataSource,
    private readonly log: AccessLogService,
    private readonly sessions: SessionCache,
  ) {}

  // Trusted code with a known password: the demo users of an embedded database, test personas, `cyberflag user
  // add` (an operator with the database owner's credentials). Administrators use invite().
  async create(
    createdBy: string,
    u: NewUser,
    validForce: (id: string) => boolean,
  ): Promise<UserView> {
    this.checkShape(u.roles, u.forceIds, u.allForces, validForce);
    const problem = passwordProblem(u.password);
    if (problem) throw new DomainError('INVALID_INPUT', problem);
    const hash = await hashPassword(u.password);
    return this.ds.transaction(async (em) => {
      const row = await this.insert(em, createdBy, u, { passwordHash: hash });
      await this.record(em, createdBy, 'create', null, row, {});
      return toView(row);
    });
  }

  // POST /users: the account has no password until its user chooses one; the administrator gets a one-time
  // password to hand over, which lets its user do nothing but that (AuthService.choosePassword).
  async invite(
    ctx: RequestContext,
    u: InvitedUser,
    validForce: (id: string) => boolean,
  ): Promise<IssuedUserView> {
    this.checkShape(u.roles, u.forceIds, u.allForces, validForce);
    const oneTime = await issueOneTime();
    return this.ds.transaction(async (em) => {
      const row = await this.insert(em, authorId(ctx), u, { oneTime });
      await this.record(em, ctx, 'create', null, row, {});
      return {
        ...toView(row),
        oneTimePassword: oneTime.password,
        oneTimePasswordExpiresAt: oneTime.expiresAt,
      };
    });
  }

  async update(
    by: Author,
    id: string,
    c: UserChanges,
    validForce: (id: string) => boolean,
  ): Promise<IssuedUserView> {
    if (c.password !== undefined) {
      const problem = passwordProblem(c.password);
      if (problem) throw new DomainError('INVALID_INPUT', problem);
    }
    const hash = c.password !== undefined ? await hashPassword(c.password) : null;
    const oneTime = c.resetPassword ? await issueOneTime() : null;
    try {
      return await this.applyUpdate(by, id, c, hash, oneTime, validForce);
    } finally {
      // After the commit (or rollback): this process's next request reads the user afresh; other processes hear
      // the trigger's NOTIFY.
      this.sessions.evictUser(id);
    }
  }

  private applyUpdate(
    by: Author,
    id: string,
    c: UserChanges,
    hash: string | null,
    oneTime: OneTime | null,
    validForce: (id: string) => boolean,
  ): Promise<IssuedUserView> {
    return this.ds.transaction(async (em) => {
      const current = await this.byId(em, id);
      const roles = c.roles ?? current.roles;
      const forceIds = c.forceIds ?? current.force_ids;
      const allForces = c.allForces ?? current.all_forces;
      this.checkShape(roles, forceIds, allForces, validForce);
      // TypeORM answers an UPDATE with [rows, count].
      const [[row]]: [UserRow[], number] = await em.query(
        `UPDATE users SET display_name = $2, roles = $3, force_ids = $4, all_forces = $5, active = $6, updated_at = now()
         WHERE id = $1 RETURNING ${USER_COLUMNS}, ${THROTTLED_UNTIL}`,
        [
          id,
          c.displayName ?? current.display_name,
          roles,
          forceIds,
          allForces,
          c.active ?? current.active,
        ],
      );
      if (hash !== null)
        await em.query(`SELECT cyberflag_store_password($1, $2, NULL)`, [id, hash]);
      if (oneTime)
        await em.query(`SELECT cyberflag_issue_one_time($1, $2, $3)`, [
          id,
          oneTime.hash,
          oneTime.expiresAt,
        ]);
      // A new password ends the account's login delays (an administrator's way to let a throttled user in).
      if (hash !== null || oneTime) {
        await em.query(
          `DELETE FROM login_throttle WHERE account = sha256(convert_to('account' || chr(10) || $1, 'UTF8'))`,
          [row.username],
        );
        row.throttled_until = null;
        row.must_set_password = oneTime !== null;
      }
      // Deactivating a user or changing their access or password ends their sessions.
      const accessChanged = [c.roles, c.forceIds, c.allForces, c.active, c.password, oneTime].some(
        (v) => v !== undefined && v !== null,
      );
      if (accessChanged)
        await em.query(
          `UPDATE auth_sessions SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL`,
          [id],
        );
      await this.record(em, by, 'update', current, row, {
        passwordSet: hash !== null || undefined,
        passwordReset: oneTime !== null || undefined,
      });
      return oneTime
        ? {
            ...toView(row),
            oneTimePassword: oneTime.password,
            oneTimePasswordExpiresAt: oneTime.expiresAt,
          }
        : toView(row);
    });
  }

  async list(): Promise<UserView[]> {
    const rows: UserRow[] = await this.ds.query(
      `SELECT ${USER_COLUMNS}, ${THROTTLED_UNTIL} FROM users ORDER BY username`,
    );
    return rows.map(toView);
  }

  async count(): Promise<number> {
    const [r]: { n: string }[] = await this.ds.query(`SELECT count(*) AS n FROM users`);
    return Number(r.n);
  }

  async byUsername(username: string): Promise<UserRow | undefined> {
    const rows: UserRow[] = await this.ds.query(
      `SELECT ${USER_COLUMNS} FROM users WHERE username = $1`,
      [username],
    );
    return rows[0];
  }

  async byIdOrNull(id: string): Promise<UserRow | undefined> {
    const rows: UserRow[] = await this.ds.query(`SELECT ${USER_COLUMNS} FROM users WHERE id = $1`, [
      id,
    ]);
    return rows[0];
  }

  // A user's own choice of password, after signing in with their one-time password (AuthService.choosePassword).
  async recordPasswordChosen(em: EntityManager, user: UserRow, route: string): Promise<void> {
    await this.log.record(em, {
      userId: user.username,
      action: 'alteration',
      forceIds: user.force_ids,
      route,
      query: { userAdministration: 'password-chosen', username: user.username },
      recordIds: [user.id],
      recordCount: 1,
    });
  }

  private async insert(
    em: EntityManager,
    createdBy: string,
    u: InvitedUser,
    credential: { passwordHash: string } | { oneTime: OneTime },
  ): Promise<UserRow> {
    const oneTime = 'oneTime' in credential ? credential.oneTime : null;
    try {
      const [row]: UserRow[] = await em.query(
        `INSERT INTO users (username, display_name, roles, force_ids, all_forces, created_by, one_time_hash,
           one_time_expires_at, must_set_password)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING ${USER_COLUMNS}`,
        [
          u.username,
          u.displayName,
          u.roles,
          u.forceIds,
          u.allForces,
          createdBy,
          // A known password is stored next, in the same transaction; meanwhile the row holds an expired
          // placeholder that matches nothing.
          oneTime?.hash ?? '!',
          oneTime?.expiresAt ?? new Date(),
          oneTime !== null,
        ],
      );
      if ('passwordHash' in credential)
        await em.query(`SELECT cyberflag_store_password($1, $2, NULL)`, [
          row.id,
          credential.passwordHash,
        ]);
      return { ...row, must_set_password: oneTime !== null };
    } catch (e) {
      const pgError = (e as { driverError?: { constraint?: string } }).driverError;
      if (pgError?.constraint === 'uq_users_username')
        throw new DomainError('DUPLICATE_REFERENCE', `user ${u.username} already exists`);
      throw e;
    }
  }

  // Every administration of a user goes in the hash-chained access log (issue #18 finding 6): who did what to whom,
  // with the access before and after. The entry concerns the forces the user could reach before or after.
  private async record(
    em: EntityManager,
    by: Author,
    event: 'create' | 'update',
    before: UserRow | null,
    after: UserRow,
    extra: Record<string, boolean | undefined>,
  ): Promise<void> {
    const access = (u: UserRow) => ({
      roles: u.roles,
      forceIds: u.force_ids,
      allForces: u.all_forces,
      active: u.active,
    });
    const changed = before
      ? Object.fromEntries(
          Object.entries(access(after)).filter(
            ([k, v]) =>
              JSON.stringify(v) !==
              JSON.stringify(access(before)[k as keyof ReturnType<typeof access>]),
          ),
        )
      : access(after);
    const ctx = typeof by === 'string' ? null : by;
    await this.log.record(em, {
      userId: authorId(by),
      action: event === 'create' ? 'collection' : 'alteration',
      forceIds: [...(before?.force_ids ?? []), ...after.force_ids],
      route: ctx?.route ?? (event === 'create' ? 'SYSTEM create user' : 'SYSTEM update user'),
      purpose: ctx?.purpose ?? null,
      query: {
        userAdministration: event,
        username: after.username,
        ...(before && { before: access(before) }),
        ...(Object.keys(changed).length > 0 && { changed }),
        ...(before && before.display_name !== after.display_name && { displayNameChanged: true }),
        ...Object.fromEntries(Object.entries(extra).filter(([, v]) => v !== undefined)),
      },
      recordIds: [after.id],
      recordCount: 1,
      requestId: ctx?.requestId ?? null,
    });
  }

  private async byId(em: EntityManager, id: string): Promise<UserRow> {
    const rows: UserRow[] = await em.query(
      `SELECT ${USER_COLUMNS} FROM users WHERE id = $1 FOR UPDATE`,
      [id],
    );
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
    // An administrator manages accounts and reads no data: otherwise it could grant itself any access.
    if (roles.includes('admin') && roles.length > 1)
      throw new DomainError(
        'ROLE_CONFLICT',
        `admin cannot be combined with a data role (${roles.filter((r) => r !== 'admin').join(', ')}): use two accounts`,
      );
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

interface OneTime {
  password: string;
  hash: string;
  expiresAt: Date;
}

// 20 random bytes: a credential nobody chose, hashed like a password, good for ONE_TIME_PASSWORD_DAYS.
async function issueOneTime(): Promise<OneTime> {
  const password = randomBytes(20).toString('base64url');
  return {
    password,
    hash: await hashPassword(password),
    expiresAt: new Date(Date.now() + ONE_TIME_PASSWORD_DAYS * 86_400_000),
  };
}
