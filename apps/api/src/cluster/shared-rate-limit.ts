import type { Worker } from 'node:cluster';
import { MemoryStore, type IncrementResponse, type Options, type Store } from 'express-rate-limit';

// express-rate-limit counts in memory, per process: with several workers each would grant a client the whole
// allowance (a password guesser gets WORKERS times the attempts). Workers therefore count in the primary: one
// MemoryStore per limiter there, asked over the cluster's IPC channel. (The login throttle per account and source,
// libs/auth login-throttle.ts, is in PostgreSQL already, so it holds across workers and app instances as it is.)

const TAG = 'cyberflag:rate-limit';
const ASK_TIMEOUT_MS = 5000;

type Op = 'increment' | 'decrement' | 'resetKey';
interface Ask {
  tag: typeof TAG;
  id: number;
  op: Op;
  prefix: string;
  windowMs: number;
  key: string;
}
interface Answer {
  tag: typeof TAG;
  id: number;
  totalHits?: number;
  resetTime?: number;
  error?: string;
}

const isAsk = (m: unknown): m is Ask => (m as Ask | null)?.tag === TAG && 'op' in (m as Ask);
const isAnswer = (m: unknown): m is Answer =>
  (m as Answer | null)?.tag === TAG && !('op' in (m as Answer));

// In the primary: answers every worker's limiter, one store per limiter (its prefix) for all workers together.
export function serveSharedRateLimits(on: {
  on(event: 'message', listener: (worker: Worker, message: unknown) => void): unknown;
}): void {
  const stores = new Map<string, MemoryStore>();
  const storeFor = (prefix: string, windowMs: number): MemoryStore => {
    let s = stores.get(prefix);
    if (!s) {
      s = new MemoryStore();
      s.init({ windowMs } as Options); // its only option
      stores.set(prefix, s);
    }
    return s;
  };
  on.on('message', (worker, m) => {
    if (!isAsk(m)) return;
    const store = storeFor(m.prefix, m.windowMs);
    const reply = (a: Omit<Answer, 'tag' | 'id'>) => {
      if (worker.isConnected()) worker.send({ tag: TAG, id: m.id, ...a } satisfies Answer);
    };
    const done =
      m.op === 'increment'
        ? store.increment(m.key).then((r) => ({
            totalHits: r.totalHits,
            resetTime: r.resetTime?.getTime(),
          }))
        : store[m.op](m.key).then(() => ({}));
    done.then(reply, (e: unknown) => reply({ error: e instanceof Error ? e.message : String(e) }));
  });
}

// In a worker: a limiter's store that counts in the primary.
export class PrimaryRateLimitStore implements Store {
  readonly localKeys = false;
  private windowMs = 60_000;
  private static next = 0;
  private static readonly waiting = new Map<number, (a: Answer) => void>();
  private static listening = false;

  constructor(readonly prefix: string) {
    if (!PrimaryRateLimitStore.listening) {
      PrimaryRateLimitStore.listening = true;
      process.on('message', (m) => {
        if (isAnswer(m)) PrimaryRateLimitStore.waiting.get(m.id)?.(m);
      });
    }
  }

  init(options: Options): void {
    this.windowMs = options.windowMs;
  }

  async increment(key: string): Promise<IncrementResponse> {
    const a = await this.ask('increment', key);
    return {
      totalHits: a.totalHits ?? 0,
      resetTime: a.resetTime === undefined ? undefined : new Date(a.resetTime),
    };
  }

  async decrement(key: string): Promise<void> {
    await this.ask('decrement', key);
  }

  async resetKey(key: string): Promise<void> {
    await this.ask('resetKey', key);
  }

  private ask(op: Op, key: string): Promise<Answer> {
    const id = ++PrimaryRateLimitStore.next;
    const { waiting } = PrimaryRateLimitStore;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        waiting.delete(id);
        reject(new Error('the primary process did not answer the rate limiter'));
      }, ASK_TIMEOUT_MS);
      waiting.set(id, (a) => {
        clearTimeout(timer);
        waiting.delete(id);
        if (a.error) reject(new Error(a.error));
        else resolve(a);
      });
      const ask: Ask = { tag: TAG, id, op, prefix: this.prefix, windowMs: this.windowMs, key };
      process.send!(ask);
    });
  }
}
