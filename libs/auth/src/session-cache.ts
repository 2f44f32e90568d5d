import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Actor } from './actor.js';
import { AUTH_CONFIG, type AuthConfig } from './auth.config.js';
import { AuthChangeListener } from './auth-change-listener.js';

export interface CachedSession {
  actor: Actor;
  userId: string; // users.id, which a 'user:<id>' notification names
  username: string; // the access token's subject must still match
  sessionExpiresAt: Date; // auth_sessions.expires_at: re-checked on every hit
}
interface Entry extends CachedSession {
  cachedUntil: number;
}

// Issue #21 deliver 3: a checked session is trusted for sessionCacheMs without asking the database, but only while
// this process's listener is live (LISTEN cyberflag_auth, auth-change-listener.ts). Triggers on auth_sessions and
// users notify on sign-out, revocation, deactivation and any change to a user (migration 1780000027000), from any
// process; the process that makes the change also evicts at once, after its commit. With no live listener the
// cache is empty and every request reads the database: nothing cached survives a notification that was missed.
@Injectable()
export class SessionCache implements OnApplicationBootstrap, OnModuleDestroy {
  static readonly MAX_ENTRIES = 10_000;
  readonly ttlMs: number;
  private readonly entries = new Map<string, Entry>();
  // Bumped by every invalidation: a lookup that began before one does not store what it read, since the
  // notification may have come between its read and its store (and found nothing to evict).
  private epoch = 0;
  private live = false;
  private listener: AuthChangeListener | null = null;

  constructor(
    private readonly ds: DataSource,
    @Inject(AUTH_CONFIG) config: Pick<AuthConfig, 'sessionCacheMs'>,
  ) {
    this.ttlMs = Math.max(0, config.sessionCacheMs ?? 0);
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.ttlMs === 0) return;
    this.listener = new AuthChangeListener(this.ds.options, {
      change: (payload) => this.invalidate(payload),
      live: (live) => this.setLive(live),
    });
    await this.listener.start(); // the first attempt only: the app starts (without a cache) if it fails
  }

  async onModuleDestroy(): Promise<void> {
    await this.listener?.stop();
    this.listener = null;
  }

  // True when hits can be served: caching on and the listener connected and listening.
  get enabled(): boolean {
    return this.ttlMs > 0 && this.live;
  }

  // The listener's backend, for operators and tests (pg_terminate_backend).
  get listenerPid(): number | null {
    return this.listener?.backendPid ?? null;
  }

  // Every change committed before the call has been heard (a round trip on the listener's connection): for tests
  // and diagnostics, never needed by requests.
  sync(): Promise<boolean> {
    return this.listener?.sync() ?? Promise.resolve(false);
  }

  get(sessionId: string, username: string): CachedSession | undefined {
    const e = this.entries.get(sessionId);
    if (!e) return undefined;
    const now = Date.now();
    const usable =
      this.live &&
      e.username === username &&
      now < e.cachedUntil &&
      now < e.sessionExpiresAt.getTime();
    if (!usable) this.entries.delete(sessionId);
    return usable ? e : undefined;
  }

  has(sessionId: string): boolean {
    return this.entries.has(sessionId);
  }

  // Taken before the database read; null when nothing read now may be cached.
  fillToken(): number | null {
    return this.enabled ? this.epoch : null;
  }

  put(token: number | null, sessionId: string, s: CachedSession): void {
    if (token === null || token !== this.epoch || !this.enabled) return;
    this.entries.delete(sessionId);
    // Bounded: the oldest entry goes first (a Map keeps insertion order).
    if (this.entries.size >= SessionCache.MAX_ENTRIES) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(sessionId, { ...s, cachedUntil: Date.now() + this.ttlMs });
  }

  evictSession(sessionId: string): void {
    this.invalidate(sessionId);
  }

  evictUser(userId: string): void {
    this.invalidate(`user:${userId}`);
  }

  // A notification's payload: a session id, 'user:<users.id>', or '*' (a table truncated).
  invalidate(payload: string): void {
    this.epoch++;
    if (payload === '*') {
      this.entries.clear();
    } else if (payload.startsWith('user:')) {
      const userId = payload.slice('user:'.length);
      for (const [sid, e] of this.entries) if (e.userId === userId) this.entries.delete(sid);
    } else {
      this.entries.delete(payload);
    }
  }

  // Called by the listener. Either way the cache starts empty: changes made while no one listened are unknown.
  setLive(live: boolean): void {
    this.live = live;
    this.invalidate('*');
  }
}
