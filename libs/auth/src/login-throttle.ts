// Login throttling (issue #18 finding 9), after OWASP's guidance on authentication: no hard lock that anyone can
// set off against anyone (an administrator included), but delays that grow with consecutive failures, counted
// twice: per account and source address (a guesser slows themself, not the account's owner elsewhere), and per
// account from every source (a distributed guesser), with a much higher allowance. Failures are counted before the
// password is checked, under a row lock, so a burst of parallel guesses gets exactly the allowance evaluated; an
// attempt that arrives while a delay runs is refused without being checked (and without extending the delay).
// Failures older than the window are forgotten.
import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';

export interface ThrottlePolicy {
  sourceAllowance: number; // failures per account and source before delays start
  accountAllowance: number; // failures per account, all sources together, before delays start
  baseDelaySeconds: number; // the first delay; each further failure doubles it
  maxDelaySeconds: number; // the longest delay, and the window after which failures are forgotten
}

export interface ThrottleRow {
  failures: number;
  blockedUntil: Date | null;
  lastFailureAt: Date;
}

export type ThrottleKind = 'account' | 'source';

const allowanceOf = (kind: ThrottleKind, p: ThrottlePolicy) =>
  kind === 'account' ? p.accountAllowance : p.sourceAllowance;

// The delay after the n-th consecutive failure: none within the allowance, then base, 2 base, 4 base … up to max.
export function delaySeconds(failures: number, allowance: number, p: ThrottlePolicy): number {
  if (failures < allowance) return 0;
  return Math.min(p.maxDelaySeconds, p.baseDelaySeconds * 2 ** Math.min(failures - allowance, 30));
}

export interface ThrottleDecision {
  evaluate: boolean; // check the password (false: refused as a wrong password would be, unchecked)
  next: Partial<Record<ThrottleKind, ThrottleRow>>; // rows to write (none when refused)
}

// Pure: what an attempt may do, given the rows as they stand (locked) and the time.
export function decide(
  rows: Partial<Record<ThrottleKind, ThrottleRow>>,
  now: Date,
  p: ThrottlePolicy,
): ThrottleDecision {
  const current = (row: ThrottleRow | undefined): ThrottleRow | undefined =>
    row && now.getTime() - row.lastFailureAt.getTime() <= p.maxDelaySeconds * 1000
      ? row
      : undefined; // stale: forgotten
  const live = { account: current(rows.account), source: current(rows.source) };
  if (Object.values(live).some((r) => r?.blockedUntil && r.blockedUntil > now))
    return { evaluate: false, next: {} };
  const next: Partial<Record<ThrottleKind, ThrottleRow>> = {};
  for (const kind of ['account', 'source'] as const) {
    const failures = (live[kind]?.failures ?? 0) + 1;
    const delay = delaySeconds(failures, allowanceOf(kind, p), p);
    next[kind] = {
      failures,
      blockedUntil: delay > 0 ? new Date(now.getTime() + delay * 1000) : null,
      lastFailureAt: now,
    };
  }
  return { evaluate: true, next };
}

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();
// Spelled the same way in SQL by UsersService (sha256(convert_to('account' || chr(10) || username, 'UTF8'))).
export const accountKey = (username: string): Buffer => digest(`account\n${username}`);
const sourceKey = (username: string, source: string): Buffer =>
  digest(`source\n${username}\n${source}`);

interface DbRow {
  key: Buffer;
  failures: number;
  blocked_until: Date | null;
  last_failure_at: Date;
}

// Claims an attempt: in one short transaction, locks the account's two rows, decides, and counts the attempt as a
// failure if it is to be checked (undone by succeeded()). Returns whether to check the password.
export async function claimAttempt(
  em: EntityManager,
  username: string,
  source: string,
  p: ThrottlePolicy,
): Promise<boolean> {
  const keys = { account: accountKey(username), source: sourceKey(username, source) };
  // The rows must exist to be locked; two first attempts at once both insert, and one waits on the other's row.
  await em.query(
    `INSERT INTO login_throttle (key, account, failures, last_failure_at) VALUES ($1, $1, 0, now()), ($2, $1, 0, now())
     ON CONFLICT (key) DO NOTHING`,
    [keys.account, keys.source],
  );
  const [{ now }]: { now: Date }[] = await em.query(`SELECT now()`);
  const found: DbRow[] = await em.query(
    `SELECT key, failures, blocked_until, last_failure_at FROM login_throttle WHERE key = ANY ($1::bytea[]) ORDER BY key FOR UPDATE`,
    [[keys.account, keys.source]],
  );
  const row = (key: Buffer): ThrottleRow | undefined => {
    const r = found.find((f) => f.key.equals(key));
    return (
      r && { failures: r.failures, blockedUntil: r.blocked_until, lastFailureAt: r.last_failure_at }
    );
  };
  const decision = decide({ account: row(keys.account), source: row(keys.source) }, now, p);
  for (const kind of ['account', 'source'] as const) {
    const next = decision.next[kind];
    if (!next) continue;
    await em.query(
      `UPDATE login_throttle SET failures = $2, blocked_until = $3, last_failure_at = $4 WHERE key = $1`,
      [keys[kind], next.failures, next.blockedUntil, next.lastFailureAt],
    );
  }
  return decision.evaluate;
}

// The right password: this source starts afresh, and the account's count loses the failure claimAttempt added
// (and the delay that failure alone would have started).
export async function succeeded(
  em: EntityManager,
  username: string,
  source: string,
  p: ThrottlePolicy,
): Promise<void> {
  await em.query(`DELETE FROM login_throttle WHERE key = $1`, [sourceKey(username, source)]);
  await em.query(
    `UPDATE login_throttle SET failures = greatest(failures - 1, 0), blocked_until = CASE WHEN failures - 1 < $2 THEN NULL ELSE blocked_until END
     WHERE key = $1`,
    [accountKey(username), p.accountAllowance],
  );
}

// Rows whose failures are forgotten (older than the window) and whose delay has run out.
export async function forgetStale(em: EntityManager, p: ThrottlePolicy): Promise<void> {
  await em.query(
    `DELETE FROM login_throttle WHERE last_failure_at < now() - make_interval(secs => $1) AND (blocked_until IS NULL OR blocked_until < now())`,
    [p.maxDelaySeconds],
  );
}
