import type { ConsoleLogger, INestApplication } from '@nestjs/common';
import type { AuthConfig } from '#libs/auth';
import type { Env } from '../config/env.js';
import { closeApp, dropSignalHooks, serve } from '../serve.js';
import { PrimaryRateLimitStore } from './shared-rate-limit.js';

// The messages between the primary and its workers (besides the rate limiter's).
export interface WorkerStart {
  tag: 'cyberflag:start';
  slot: number; // 1..WORKERS; a replacement takes its predecessor's slot
  appUrl: string;
  embedded: boolean;
  auth: AuthConfig;
  accessLogKey: string; // base64
  checkpointDir: string | null;
  backgroundJobs: boolean;
  demoData: boolean;
  holdListen: boolean; // listen only on the primary's 'cyberflag:listen' (once slot 1 has done the start-up work)
}
export interface WorkerStop {
  tag: 'cyberflag:stop';
  signal: string;
}
export interface WorkerReady {
  tag: 'cyberflag:ready';
}

const tagged =
  <T extends { tag: string }>(tag: T['tag']) =>
  (m: unknown): m is T =>
    (m as T | null)?.tag === tag;
export const isStart = tagged<WorkerStart>('cyberflag:start');
export const isStop = tagged<WorkerStop>('cyberflag:stop');
export const isReady = tagged<WorkerReady>('cyberflag:ready');

// A worker: waits for its settings from the primary (the database URL and secrets travel over IPC, not in the
// environment), serves, and stops in order when the primary says so or it gets SIGTERM itself. It ends by itself
// if the primary dies (Node's cluster exits a worker whose IPC channel closes).
export async function runWorker(env: Env, logger: ConsoleLogger): Promise<void> {
  dropSignalHooks();
  const serving: { app?: INestApplication } = {}; // set once listening
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return; // a signal and the primary's message for the same stop
    stopping = true;
    const { app } = serving;
    if (!app) process.exit(0); // still starting: nothing in flight yet
    logger.log(`${signal}: shutting down`);
    void closeApp(app, signal, logger).then((ok) => process.exit(ok ? 0 : 1));
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  // Ctrl-C in a terminal reaches every process of the group: the primary then stops the workers in order.
  process.on('SIGINT', () => undefined);
  process.on('message', (m) => {
    if (isStop(m)) stop(m.signal);
  });
  // Listened for before the hello, so the primary's release cannot arrive unheard.
  const released = new Promise<void>((resolve) =>
    process.on('message', (m) => {
      if ((m as { tag?: string } | null)?.tag === 'cyberflag:listen') resolve();
    }),
  );
  const cfg = await new Promise<WorkerStart>((resolve) => {
    const on = (m: unknown) => {
      if (!isStart(m)) return;
      process.off('message', on);
      resolve(m);
    };
    process.on('message', on);
    // Only now: a message sent before this process listens for it would be lost.
    process.send!({ tag: 'cyberflag:hello' });
  });
  serving.app = await serve(env, logger, {
    appUrl: cfg.appUrl,
    embedded: cfg.embedded,
    auth: cfg.auth,
    accessLog: { key: Buffer.from(cfg.accessLogKey, 'base64'), checkpointDir: cfg.checkpointDir },
    backgroundJobs: cfg.backgroundJobs,
    demoData: cfg.demoData,
    rateLimitStore: (name) => new PrimaryRateLimitStore(name),
    beforeListen: cfg.holdListen ? () => released : undefined,
  });
  process.send!({ tag: 'cyberflag:ready' } satisfies WorkerReady);
}
