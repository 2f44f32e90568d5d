import { timingSafeEqual } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import {
  checkpointSigned,
  entryMac,
  readCheckpoint,
  type AccessLogChainConfig,
  type Checkpoint,
} from './access-log-key.js';
import type { ChainVerification } from './access-log.types.js';

interface SealedRow {
  pos: string;
  seq: string;
  v: number;
  prev: string;
  hash: string;
  legacy_ok: boolean | null;
  payload: string | null;
}

const BATCH = 5000;
const MAX_REPORTED = 1000;

const sameHex = (a: string, b: string) =>
  a.length === b.length && timingSafeEqual(Buffer.from(a, 'hex'), Buffer.from(b, 'hex'));

// Recomputes the chain up to the sealed head, position by position: a missing position (deleted entry), a broken
// link, content that does not match its hash (edited, or inserted: nobody without the key can make a keyed hash),
// keyed entries passed off as the older unkeyed kind, and a head behind or different from the signed checkpoint kept
// outside the database (the newest entries removed, or the chain recomputed). Entries not yet sealed are reported
// as the unsealed tail; one that sorts below the sealed head cannot have been written by the app.
// anchors: checkpoints carried outside the data folder too (a publication's, a file): each is checked like the
// folder's own, so truncation or a recomputed chain shows against a head anchored before it happened, even if
// the folder's checkpoint was rolled back or removed with the entries.
export async function verifyAccessLog(
  db: DataSource | EntityManager,
  cfg: AccessLogChainConfig,
  anchors: readonly { source: string; checkpoint: Checkpoint }[] = [],
): Promise<ChainVerification> {
  const broken: { seq: string; problem: string }[] = [];
  const report = (seq: string, problem: string) => {
    if (broken.length < MAX_REPORTED) broken.push({ seq, problem });
  };
  const [{ id: chainId }] = await db.query(`SELECT id::text FROM access_log_chain`);
  let last: { pos: bigint; seq: bigint; hash: string } | null = null;
  let keyed = false;
  let entries = 0;
  const hashAt = new Map<string, string>();
  const { checkpoint, problem: checkpointProblem } = readCheckpoint(cfg, chainId);
  const positions = new Set(
    [checkpoint, ...anchors.map((a) => a.checkpoint)].flatMap((c) => (c ? [c.pos] : [])),
  );
  for (;;) {
    const rows: SealedRow[] = await db.query(
      `SELECT pos::text, seq::text, payload_version AS v, encode(prev_hash, 'hex') AS prev, encode(hash, 'hex') AS hash,
         CASE WHEN payload_version < 3 THEN hash = sha256(prev_hash || convert_to(access_log_payload(a), 'UTF8')) END AS legacy_ok,
         CASE WHEN payload_version = 3 THEN access_log_payload(a) END AS payload
       FROM access_log a WHERE pos > $1 ORDER BY a.pos LIMIT ${BATCH}`,
      [last ? last.pos.toString() : '0'],
    );
    for (const r of rows) {
      entries++;
      const pos = BigInt(r.pos);
      const seq = BigInt(r.seq);
      if (pos !== (last ? last.pos + 1n : 1n)) report(r.seq, 'sequence gap before this entry');
      else if (last && seq <= last.seq) report(r.seq, 'entry is out of order');
      else if (r.prev !== (last?.hash ?? '')) report(r.seq, 'link to the previous entry is broken');
      else if (r.v < 3 && keyed)
        report(r.seq, 'entry content does not match its hash (an unkeyed entry after keyed ones)');
      else if (
        r.v < 3
          ? r.legacy_ok !== true
          : !sameHex(r.hash, entryMac(cfg.key, chainId, r.pos, r.prev, r.payload!))
      )
        report(r.seq, 'entry content does not match its hash');
      if (r.v === 3) keyed = true;
      if (positions.has(r.pos)) hashAt.set(r.pos, r.hash);
      last = { pos, seq, hash: r.hash };
    }
    if (rows.length < BATCH) break;
  }
  const head = last
    ? { seq: last.seq.toString(), pos: last.pos.toString(), hash: last.hash }
    : null;
  if (checkpointProblem) report(head?.seq ?? '0', checkpointProblem);
  // A head the chain must still reach, with the same hash there: else the newest entries were removed, or the
  // chain was rebuilt (edited and recomputed forward) behind the checkpoint.
  const against = (c: Checkpoint, where: string) => {
    if (!last || last.pos < BigInt(c.pos))
      report(
        head?.seq ?? '0',
        `the newest sealed entries are missing: the checkpoint ${where} names position ${c.pos} (#${c.seq}), the chain ends at ${head?.pos ?? 'nothing'}`,
      );
    else if (hashAt.get(c.pos) !== c.hash)
      report(c.seq, `entry differs from the checkpoint ${where} (the chain was recomputed)`);
  };
  if (checkpoint) {
    against(checkpoint, 'kept outside the database');
  } else if (keyed && cfg.checkpointDir && !checkpointProblem)
    report(head!.seq, 'no checkpoint outside the database for this chain');
  for (const a of anchors) {
    const c = a.checkpoint;
    if (!checkpointSigned(cfg.key, c))
      report(head?.seq ?? '0', `the checkpoint from ${a.source} is not signed with the chain key`);
    else if (c.chainId !== chainId)
      report(
        head?.seq ?? '0',
        `the checkpoint from ${a.source} is of another chain (${c.chainId}, this database's is ${chainId})`,
      );
    else against(c, `from ${a.source}`);
  }
  const [tail] = await db.query(
    `SELECT count(*)::text AS n, min(seq)::text AS first, max(seq)::text AS newest FROM access_log WHERE pos IS NULL`,
  );
  const [below] = await db.query(
    `SELECT seq::text FROM access_log a WHERE a.pos IS NULL AND a.seq < $1 ORDER BY a.seq LIMIT 1`,
    [head?.seq ?? '0'],
  );
  if (below) report(below.seq, 'unsealed entry older than the sealed head (inserted?)');
  return {
    ok: broken.length === 0,
    entries,
    head,
    unsealed: { entries: Number(tail.n), fromSeq: tail.first, toSeq: tail.newest },
    checkpoint: checkpoint ? { pos: checkpoint.pos, seq: checkpoint.seq, at: checkpoint.at } : null,
    anchors: anchors.map((a) => ({
      source: a.source,
      pos: a.checkpoint.pos,
      seq: a.checkpoint.seq,
      at: a.checkpoint.at,
    })),
    broken: broken.sort((a, b) =>
      BigInt(a.seq) < BigInt(b.seq) ? -1 : BigInt(a.seq) > BigInt(b.seq) ? 1 : 0,
    ),
  };
}
