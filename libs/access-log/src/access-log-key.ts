import { createHmac, timingSafeEqual } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// What chains and checks the access log, kept outside the database (issue #18 finding 8): someone who can write to
// the database cannot recompute a keyed hash, and cannot roll the head back behind a checkpoint they cannot sign.
export interface AccessLogChainConfig {
  key: Buffer; // HMAC-SHA256 key
  checkpointDir: string | null; // where the signed head checkpoints go (the data folder); null = none
}

export const ACCESS_LOG_CHAIN = Symbol('ACCESS_LOG_CHAIN');

// A sealed (version 3) entry's hash: its chain, position, the previous hash and its canonical payload, keyed.
export function entryMac(
  key: Buffer,
  chainId: string,
  pos: string,
  prevHex: string,
  payload: string,
): string {
  return createHmac('sha256', key)
    .update(`cyberflag.access_log.v3\n${chainId}\n${pos}\n${prevHex}\n${payload}`)
    .digest('hex');
}

export interface Checkpoint {
  chainId: string;
  pos: string;
  seq: string;
  hash: string;
  at: string;
  mac: string;
}

const checkpointMac = (key: Buffer, c: Omit<Checkpoint, 'mac'>) =>
  createHmac('sha256', key)
    .update(`cyberflag.access_log.checkpoint\n${c.chainId}\n${c.pos}\n${c.seq}\n${c.hash}\n${c.at}`)
    .digest('hex');

// A checkpoint carried elsewhere (a publication, a file handed to `cyberflag audit verify --checkpoint`): its
// signature checked with the chain key, so a copy edited without the key is refused rather than trusted.
export function checkpointSigned(key: Buffer, c: Checkpoint): boolean {
  if (typeof c?.mac !== 'string' || !/^[0-9a-f]{64}$/.test(c.mac)) return false;
  const want = Buffer.from(checkpointMac(key, c), 'hex');
  return timingSafeEqual(Buffer.from(c.mac, 'hex'), want);
}

// Only the checkpoint's own fields (a copy read from a file may carry others), as strings.
export function asCheckpoint(x: unknown): Checkpoint | null {
  if (!x || typeof x !== 'object') return null;
  const o = x as Record<string, unknown>;
  const keys = ['chainId', 'pos', 'seq', 'hash', 'at', 'mac'] as const;
  if (!keys.every((k) => typeof o[k] === 'string')) return null;
  return Object.fromEntries(keys.map((k) => [k, o[k]])) as unknown as Checkpoint;
}

const fileOf = (dir: string, chainId: string) => join(dir, `access-log-checkpoint-${chainId}.json`);

export function readCheckpoint(
  cfg: AccessLogChainConfig,
  chainId: string,
): { checkpoint: Checkpoint | null; problem: string | null } {
  if (!cfg.checkpointDir) return { checkpoint: null, problem: null };
  let c: Checkpoint;
  try {
    c = JSON.parse(readFileSync(fileOf(cfg.checkpointDir, chainId), 'utf8')) as Checkpoint;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { checkpoint: null, problem: null };
    return { checkpoint: null, problem: 'the checkpoint file cannot be read' };
  }
  const want = Buffer.from(checkpointMac(cfg.key, c), 'hex');
  const got = Buffer.from(String(c.mac), 'hex');
  if (got.length !== want.length || !timingSafeEqual(got, want))
    return { checkpoint: null, problem: 'the checkpoint file is not signed with the chain key' };
  return { checkpoint: c, problem: null };
}

// Written after the sealed entries commit, by the one sealer holding the lock; never moves backwards.
export function writeCheckpoint(
  cfg: AccessLogChainConfig,
  c: Omit<Checkpoint, 'mac' | 'at'>,
): void {
  if (!cfg.checkpointDir) return;
  const current = readCheckpoint(cfg, c.chainId).checkpoint;
  if (current && BigInt(current.pos) >= BigInt(c.pos)) return;
  mkdirSync(cfg.checkpointDir, { recursive: true });
  const body = { ...c, at: new Date().toISOString() };
  const file = fileOf(cfg.checkpointDir, c.chainId);
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify({ ...body, mac: checkpointMac(cfg.key, body) }), {
    mode: 0o600,
  });
  renameSync(tmp, file); // atomic: a reader sees the old checkpoint or the new one
}
