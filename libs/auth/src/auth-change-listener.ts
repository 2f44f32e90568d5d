import { Logger } from '@nestjs/common';
import pg from 'pg';
import type { DataSourceOptions } from 'typeorm';

export const AUTH_CHANNEL = 'cyberflag_auth';
const RETRY_MIN_MS = 100;
const RETRY_MAX_MS = 5_000;
// A connection that stops answering (a half-open socket the kernel has not noticed) counts as lost.
const PING_MS = 2_000;
const PING_TIMEOUT_MS = 5_000;

export interface ListenerEvents {
  change(payload: string): void;
  live(live: boolean): void;
}

// One dedicated connection per process, outside the pool (a pooled connection would be handed to requests, and
// LISTEN belongs to a session), as the app's own login role: LISTEN needs no privilege. Reconnects with backoff;
// reports live(false) the moment the connection is lost or stops answering, live(true) once LISTEN is in place.
export class AuthChangeListener {
  private readonly logger = new Logger('SessionCache');
  private client: pg.Client | null = null; // the current connection, connecting or listening
  private live = false;
  private stopped = false;
  private retryMs = RETRY_MIN_MS;
  private retryTimer: NodeJS.Timeout | null = null;
  private pingTimer: NodeJS.Timeout | null = null;
  private pid: number | null = null;

  constructor(
    private readonly db: DataSourceOptions,
    private readonly events: ListenerEvents,
  ) {}

  get backendPid(): number | null {
    return this.live ? this.pid : null;
  }

  async start(): Promise<void> {
    this.stopped = false;
    await this.open();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const c = this.client;
    this.drop();
    if (c) await c.end().catch(() => undefined);
  }

  // Resolves once every notification committed before the call has been handled: the server sends a session its
  // pending notifications before it answers a query. False when not listening.
  async sync(): Promise<boolean> {
    const c = this.client;
    if (!c || !this.live) return false;
    await c.query('SELECT 1');
    return this.client === c;
  }

  private connection(): pg.Client {
    const o = this.db as { url?: string; extra?: Record<string, unknown> };
    // The pool's settings (the app login role, its SET ROLE option) without the pool's own.
    const { max: _max, connectionTimeoutMillis: _timeout, ...extra } = o.extra ?? {};
    return new pg.Client({
      connectionString: o.url,
      ...extra,
      application_name: 'cyberflag-auth-listener',
      connectionTimeoutMillis: 5_000,
      keepAlive: true,
    });
  }

  private async open(): Promise<void> {
    if (this.stopped) return;
    const c = this.connection();
    this.client = c;
    c.on('error', (e) => this.lost(c, e));
    c.on('end', () => this.lost(c));
    c.on('notification', (m) => {
      if (m.channel === AUTH_CHANNEL) this.events.change(m.payload ?? '');
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${AUTH_CHANNEL}`);
      const { rows } = await c.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      if (this.client !== c) return; // lost or stopped meanwhile
      this.pid = rows[0]?.pid ?? null;
      this.live = true;
      this.retryMs = RETRY_MIN_MS;
      this.events.live(true);
      this.pingTimer = setInterval(() => this.ping(c), PING_MS);
      this.pingTimer.unref();
    } catch (e) {
      this.lost(c, e);
    }
  }

  private ping(c: pg.Client): void {
    let answered = false;
    // After a stalled event loop, timers run before pending socket reads: setImmediate lets an answer that has
    // already arrived be read first, so a busy process is not mistaken for a lost connection.
    const timeout = setTimeout(
      () =>
        setImmediate(() => {
          if (!answered) this.lost(c, new Error('no answer in time'));
        }),
      PING_TIMEOUT_MS,
    );
    timeout.unref();
    c.query('SELECT 1').then(
      () => {
        answered = true;
        clearTimeout(timeout);
      },
      (e: unknown) => {
        answered = true;
        clearTimeout(timeout);
        this.lost(c, e);
      },
    );
  }

  // The connection failed to open, failed, ended or stopped answering: off at once, then try again.
  private lost(c: pg.Client, e?: unknown): void {
    if (this.client !== c) return;
    const wasLive = this.live;
    this.drop();
    c.end().catch(() => undefined);
    if (this.stopped) return;
    if (wasLive || this.retryMs === RETRY_MIN_MS)
      this.logger.warn(
        `session cache off: its listener connection is lost${e instanceof Error ? ` (${e.message})` : ''}; reconnecting`,
      );
    this.retryTimer = setTimeout(() => void this.open(), this.retryMs);
    this.retryTimer.unref();
    this.retryMs = Math.min(this.retryMs * 2, RETRY_MAX_MS);
  }

  private drop(): void {
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.pingTimer = null;
    this.client = null;
    this.pid = null;
    this.live = false;
    this.events.live(false);
  }
}
