import {
  Inject,
  Injectable,
  Logger,
  Optional,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import { pgQueryable, ScopedDb } from '#libs/persistence';
import { advanceCompaction, compactFigures, figuresToCompact } from './figures.query.js';

// Every change to crimes appends delta rows to crime_figures; readers sum them. This folds the force-years
// that received deltas since the last pass into one row per group, so reads stay small. One process at a
// time (a transaction-scoped advisory lock; others skip the pass). Correctness never depends on it: figures
// are exact with or without compaction.
export const FIGURES_COMPACT_EVERY_MS = 60_000;
const LOCK_KEY = 0x63666967; // 'cfig'
// Whether this process runs the background passes (default yes). With several workers (WORKERS) only one does, so
// the others do not poll for nothing; the lock stays, as a worker being replaced may briefly overlap its successor.
export const FIGURES_COMPACTION = Symbol('FIGURES_COMPACTION');

@Injectable()
export class FiguresCompactor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('FiguresCompactor');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(
    private readonly ds: DataSource,
    @Optional() @Inject(FIGURES_COMPACTION) private readonly background: boolean = true,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.background) return;
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.compactOnce()
        .catch((e: unknown) =>
          this.logger.warn(`compaction pass failed: ${e instanceof Error ? e.message : String(e)}`),
        )
        .finally(() => (this.running = undefined));
    }, FIGURES_COMPACT_EVERY_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  // One pass; returns the number of delta rows folded away (0 when another process holds the lock).
  async compactOnce(): Promise<number> {
    return new ScopedDb(this.ds).run('all', async (em) => {
      const db = pgQueryable({
        query: async (sql, params) => ({ rows: await em.query(sql, params) }),
      });
      const [lock] = await db.query<{ ok: boolean }>(`SELECT pg_try_advisory_xact_lock($1) AS ok`, [
        LOCK_KEY,
      ]);
      if (!lock.ok) return 0;
      const pending = await figuresToCompact(db);
      let folded = 0;
      for (const fy of pending.forceYears) folded += await compactFigures(db, fy.forceId, fy.year);
      await advanceCompaction(db, pending.through);
      return folded;
    });
  }
}
