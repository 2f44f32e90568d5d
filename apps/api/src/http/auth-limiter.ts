import { MemoryStore, type Options, type Store } from 'express-rate-limit';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { pathOf } from '#libs/auth';

const WINDOW_MS = 60_000;

export type Limiter = (req: FastifyRequest, reply: FastifyReply) => Promise<boolean>;

// A fixed-window limit per client address on one route, answered 429 with the IETF RateLimit headers (draft 8).
// The counting is express-rate-limit's stores: its MemoryStore in this process, or the cluster's store that counts
// in the primary (cluster/shared-rate-limit.ts). Its middleware is Express's; this is the same check as a Fastify hook.
export function authLimiter(
  opts: { authRequestsPerMinute: number; rateLimitStore?: (name: string) => Store },
  name: string,
  times: number,
  message: string,
): Limiter {
  const limit = opts.authRequestsPerMinute * times;
  const store = opts.rateLimitStore?.(name) ?? new MemoryStore();
  void store.init?.({ windowMs: WINDOW_MS } as Options);
  return async (req, reply) => {
    const { totalHits, resetTime } = await store.increment(req.ip);
    const seconds = Math.max(
      0,
      Math.ceil(((resetTime?.getTime() ?? Date.now() + WINDOW_MS) - Date.now()) / 1000),
    );
    reply.header('ratelimit-policy', `"${name}";q=${limit};w=${WINDOW_MS / 1000}`);
    reply.header('ratelimit', `"${name}";r=${Math.max(0, limit - totalHits)};t=${seconds}`);
    if (totalHits <= limit) return false;
    void reply
      .header('retry-after', String(seconds))
      .code(429)
      .send({ statusCode: 429, code: 'TOO_MANY_REQUESTS', message });
    return true;
  };
}

// The limiters by the path they guard, as one onRequest hook: other requests pay one lookup.
export function limiterHook(limiters: Map<string, Limiter>) {
  return (req: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void): void => {
    const path = pathOf(req).replace(/\/+$/, '');
    const limit = limiters.get(path);
    if (!limit) return done();
    limit(req, reply).then(
      (limited) => {
        if (!limited) done();
      },
      (e: unknown) => done(e instanceof Error ? e : new Error(String(e))),
    );
  };
}
