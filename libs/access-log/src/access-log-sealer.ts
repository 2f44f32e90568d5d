import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { DataSource, type QueryRunner } from 'typeorm';
import {
  ACCESS_LOG_CHAIN,
  entryMac,
  writeCheckpoint,
  type AccessLogChainConfig,
} from './access-log-key.js';

const SEALER_LOCK = `hashtext('cyberflag.access_log.sealer')`;
const BATCH = 2000;

// The sealer's transaction: every force, and no nested loop for its UPDATE. Row-level security's filter
// (current_setting() compared with a constant) makes the planner expect about one row of access_log, so it chose a
// nested loop over the whole log with the batch rescanned for every entry: quadratic, 6 s for a batch of 900 over
// 20,000 entries, most of PostgreSQL's CPU under load (issue #21). A hash join is linear whatever the estimates.
export const SEAL_SETTINGS = `SELECT set_config('cyberflag.forces', '*', true), set_config('enable_nestloop', 'off', true)`;
// A batch's positions and hashes: $1..$4 the entries' seqs (ascending), positions, previous hashes and hashes (hex),
// $5 and $6 the first and last seq, so that only the batch's span of the log is read. Only unsealed entries: a
// sealed one is never rewritten (sealBatch rolls back a batch whose count falls short).
export const SEAL_UPDATE = `UPDATE access_log a SET pos = u.pos, prev_hash = decode(u.prev, 'hex'), hash = decode(u.hash, 'hex')
  FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[]) AS u (seq, pos, prev, hash)
  WHERE a.seq = u.seq AND a.seq BETWEEN $5 AND $6 AND a.pos IS NULL`;

interface Observation {
  upTo: string; // every seq <= upTo has been drawn
  xids: string[]; // transactions in flight after that: any of them may hold a seq <= upTo
}

// Chains committed access-log entries in seq order, off the requests' path (issue #21). An entry takes its seq at
// insert (after its transaction has an id); seqs of rolled-back transactions are never used. The sealer reads the
// sequence (L), then the transactions in flight; once all of those have ended, every seq <= L is committed or gone
// for good, so the committed ones can take the next positions with no gap and no later arrival below them.
// One sealer at a time across processes (advisory lock); the others find nothing left to do.
export class ChainSealer {
  private pending: Observation | null = null;
  private sealedUpTo: string | null = null;
  private busy: Promise<number> = Promise.resolve(0);

  constructor(
    private readonly ds: DataSource,
    private readonly cfg: AccessLogChainConfig,
  ) {}

  // One step of the background loop: seal what the previous observation made safe, then observe again.
  tick(): Promise<number> {
    return this.serial(async () => {
      let sealed = 0;
      if (this.pending && (await this.ended(this.pending.xids))) {
        sealed = await this.sealUpTo(this.pending.upTo);
        this.pending = null;
      }
      if (!this.pending) {
        const seen = await this.observe();
        if (seen && seen.upTo !== this.sealedUpTo) {
          if (await this.ended(seen.xids)) sealed += await this.sealUpTo(seen.upTo);
          else this.pending = seen;
        }
      }
      return sealed;
    });
  }

  // Seals everything committed so far (before verifying or publishing): waits for the transactions in flight now,
  // up to timeoutMs; returns false if some were still running (their entries and later ones stay unsealed).
  sealNow(timeoutMs = 5000): Promise<boolean> {
    let complete = true;
    return this.serial(async () => {
      const seen = await this.observe();
      if (!seen) return 0;
      const until = Date.now() + timeoutMs;
      while (!(await this.ended(seen.xids))) {
        if (Date.now() > until) {
          complete = false;
          return 0;
        }
        await new Promise((r) => setTimeout(r, 10));
      }
      return this.sealUpTo(seen.upTo);
    }).then(() => complete);
  }

  private serial(work: () => Promise<number>): Promise<number> {
    const next = this.busy.then(work, work);
    this.busy = next.catch(() => 0);
    return next;
  }

  // Two statements, in this order: the sequence first, then the transactions in flight.
  private async observe(): Promise<Observation | null> {
    const [s] = await this.ds.query(
      `SELECT last_value::text AS last, is_called FROM access_log_seq`,
    );
    if (!s.is_called) return null;
    // Transaction ids are cluster-wide: only this database's writers can hold our seqs, so the others (other
    // databases' long transactions) must not hold sealing back. Each writer holds a lock on its own id.
    const [x] = await this.ds.query(
      `SELECT ARRAY(SELECT l.transactionid::text FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
         WHERE l.locktype = 'transactionid' AND l.mode = 'ExclusiveLock' AND l.granted
           AND a.datname = current_database() AND l.pid <> pg_backend_pid()) AS xids`,
    );
    return { upTo: s.last, xids: x.xids };
  }

  private async ended(xids: string[]): Promise<boolean> {
    if (xids.length === 0) return true;
    const [r] = await this.ds.query(
      `SELECT NOT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'transactionid' AND mode = 'ExclusiveLock' AND transactionid::text = ANY ($1::text[])) AS ended`,
      [xids],
    );
    return r.ended === true;
  }

  private async sealUpTo(upTo: string): Promise<number> {
    const qr = this.ds.createQueryRunner();
    await qr.connect();
    try {
      const [{ got }] = await qr.query(`SELECT pg_try_advisory_lock(${SEALER_LOCK}) AS got`);
      if (!got) return 0; // another process is sealing
      try {
        let total = 0;
        for (;;) {
          const n = await this.sealBatch(qr, upTo);
          total += n;
          if (n < BATCH) break;
        }
        this.sealedUpTo = upTo;
        return total;
      } finally {
        await qr.query(`SELECT pg_advisory_unlock(${SEALER_LOCK})`);
      }
    } finally {
      await qr.release();
    }
  }

  private async sealBatch(qr: QueryRunner, upTo: string): Promise<number> {
    await qr.startTransaction();
    let sealed: { chainId: string; pos: string; seq: string; hash: string } | null = null;
    let n: number;
    try {
      await qr.query(SEAL_SETTINGS);
      const [{ id: chainId }] = await qr.query(`SELECT id::text FROM access_log_chain`);
      const [head] = await qr.query(
        `SELECT pos::text, seq::text, encode(hash, 'hex') AS hash FROM access_log a WHERE a.pos IS NOT NULL ORDER BY a.pos DESC LIMIT 1`,
      );
      // Only after the head: an unsealed entry below it cannot be legitimate (verify reports it).
      const rows: { seq: string; payload: string }[] = await qr.query(
        `SELECT seq::text, access_log_payload(a) AS payload FROM access_log a
         WHERE pos IS NULL AND seq <= $1 AND seq > $2 ORDER BY a.seq LIMIT ${BATCH}`,
        [upTo, head?.seq ?? '0'],
      );
      n = rows.length;
      if (n > 0) {
        let pos = BigInt(head?.pos ?? 0);
        let prev: string = head?.hash ?? '';
        const u = {
          seq: [] as string[],
          pos: [] as string[],
          prev: [] as string[],
          hash: [] as string[],
        };
        for (const r of rows) {
          pos += 1n;
          const hash = entryMac(this.cfg.key, chainId, pos.toString(), prev, r.payload);
          u.seq.push(r.seq);
          u.pos.push(pos.toString());
          u.prev.push(prev);
          u.hash.push(hash);
          prev = hash;
        }
        const [, updated] = (await qr.query(SEAL_UPDATE, [
          u.seq,
          u.pos,
          u.prev,
          u.hash,
          u.seq[0],
          u.seq[n - 1],
        ])) as [unknown, number];
        if (updated !== n) throw new Error(`sealing: ${updated} of ${n} entries updated`);
        sealed = { chainId, pos: pos.toString(), seq: rows[n - 1]!.seq, hash: prev };
      }
      await qr.commitTransaction();
    } catch (e) {
      await qr.rollbackTransaction();
      throw e;
    }
    if (sealed) writeCheckpoint(this.cfg, sealed); // still under the sealer lock, after the commit
    return n;
  }
}

// The sealer in the app: a short interval while the app runs, and a last seal on shutdown.
@Injectable()
export class AccessLogSealer
  extends ChainSealer
  implements OnApplicationBootstrap, OnModuleDestroy
{
  private timer: NodeJS.Timeout | null = null;
  private readonly logger = new Logger('AccessLogSealer');

  constructor(
    ds: DataSource,
    @Inject(ACCESS_LOG_CHAIN) cfg: AccessLogChainConfig & { sealIntervalMs?: number },
  ) {
    super(ds, cfg);
    this.intervalMs = cfg.sealIntervalMs ?? 200;
  }
  private readonly intervalMs: number;

  onApplicationBootstrap(): void {
    if (this.intervalMs <= 0) return;
    this.timer = setInterval(() => {
      this.tick().catch((e: unknown) =>
        this.logger.warn(
          `sealing the access log failed: ${e instanceof Error ? e.message : String(e)}`,
        ),
      );
    }, this.intervalMs);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.sealNow(1000).catch(() => false);
  }
}
