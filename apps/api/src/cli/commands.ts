import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import type { DataSource } from 'typeorm';
import {
  AccessLogService,
  asCheckpoint,
  ChainSealer,
  verifyAccessLog,
  type Checkpoint,
} from '#libs/access-log';
import { ROLES, SessionCache, UsersService, type Role } from '#libs/auth';
import { Catalogue } from '#libs/catalogue';
import { ScopedDb } from '#libs/persistence';
import { loadEnv } from '../config/env.js';
import { accessLogChain } from '../config/secrets.js';
import { prepareDatabase } from '../database/prepare-database.js';
import { commandDatabase, withDatabase, type Command, type Out } from './cli-support.js';
import { demoCommand, importCommand } from './import.command.js';
import { returnCommand } from './return.command.js';
import { nationalCommand } from './national.command.js';
import { figuresCommand } from './figures.command.js';

// Commands of other areas live beside their code (apps/api/src/cli/<area>.command.ts) and are listed here.
const AREA_COMMANDS: Record<string, Command> = {
  import: importCommand,
  demo: demoCommand,
  return: returnCommand,
  national: nationalCommand,
  figures: figuresCommand,
};

// `cyberflag <command>`: operational commands that share the app's config and database resolution.
const USAGE = `usage: cyberflag <command> [options]
  migrate                 apply pending migrations and refresh the reference catalogue
  user add --username U --name "Display Name" --role R [--role R2] (--force F [--force F2] | --all-forces) [--password-stdin]
                          create a user (the first admin too); without --password-stdin a random password is printed once
  import FILE (--force ID [--force ID2] | --all-forces) [--dry-run | --accept-valid] [--format csv|ndjson]
         [--show-rejections N] [--report FILE]
                          load crimes from a CSV or NDJSON file (docs/import-format.md); all-or-nothing by default;
                          prints the first N (20) rejected rows and writes all of them to a CSV report
  demo [--year 2015-16] [--records N] [--seed S]
                          generate and import a synthetic national dataset (clearly fictitious)
  return FORCE YEAR [--format table|json|csv|xlsx] [--out FILE|-] [--revision N] [--table A|B|C|...]
                          export a force annual return (live draft, or a submitted revision); logged as a disclosure;
                          a table on a terminal, else --format is required
  national YEAR [--basis accepted|live] [--format table|json|csv|xlsx] [--out FILE|-]
                          national return (force → region → England and Wales, coverage); statisticians' figures, unsuppressed;
                          a table on a terminal, else JSON
  audit verify [--checkpoint FILE|PUBLICATION_ID]...
                          seal committed access-log entries, then recompute the keyed hash chain up to the sealed
                          head and check it against the signed checkpoint; exit 1 if any entry was altered, inserted
                          or removed (the newest included); reports the unsealed tail. --checkpoint also checks it
                          against a publication's checkpoint: a file (a publication's JSON, its zip's
                          access-log-checkpoint.json or publication.json, the XLSX cover's text) or a publication id
  figures verify|rebuild [--force F]... [--year YYYY-YY]...
                          compare the maintained figures with a recomputation from the records (exit 1 on a difference);
                          rebuild recomputes them from the records, then verifies
roles: ${ROLES.join(', ')}
Without DATABASE_URL, commands use the embedded server of a running \`npm start\` on the same DATA_DIR, or start their own.`;

async function readStdinLine(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
}

async function userAdd(args: string[], out: Out): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      username: { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string', multiple: true },
      force: { type: 'string', multiple: true },
      'all-forces': { type: 'boolean' },
      'password-stdin': { type: 'boolean' },
    },
  });
  const roles = (values.role ?? []) as Role[];
  if (!values.username || roles.length === 0)
    throw new Error('--username and at least one --role are required');
  const generated = !values['password-stdin'];
  const password = generated ? randomBytes(15).toString('base64url') : await readStdinLine();
  const catalogue = new Catalogue();
  const user = await withDatabase((ds) =>
    // No session cache here (0: nothing cached, no listener): the running app hears the trigger's NOTIFY.
    new UsersService(
      ds,
      new AccessLogService(new ScopedDb(ds)),
      new SessionCache(ds, { sessionCacheMs: 0 }),
    ).create(
      'cli',
      {
        username: values.username!,
        displayName: values.name ?? values.username!,
        password,
        roles,
        forceIds: values.force ?? [],
        allForces: values['all-forces'] ?? false,
      },
      (f) => catalogue.force(f)?.id === f,
    ),
  );
  out(
    `created user ${user.username} (${user.roles.join(', ')}; forces: ${user.allForces ? 'all' : user.forceIds.join(', ') || 'none'})`,
  );
  if (generated) out(`password (shown once): ${password}`);
  return 0;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// A checkpoint given on the command line: a publication's id (its stored copy), or a file holding the checkpoint
// itself or a publication (JSON download, the zip's publication.json) that carries one.
async function anchorOf(
  ds: DataSource,
  arg: string,
): Promise<{ source: string; checkpoint: Checkpoint }> {
  if (UUID.test(arg)) {
    const [row] = await ds.query(
      `SELECT access_log_checkpoint AS c FROM publications WHERE id = $1`,
      [arg],
    );
    if (!row) throw new Error(`publication ${arg} not found`);
    const checkpoint = asCheckpoint(row.c);
    if (!checkpoint) throw new Error(`publication ${arg} carries no access-log checkpoint`);
    return { source: `publication ${arg}`, checkpoint };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(arg, 'utf8').replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new Error(
      `${arg}: not a readable JSON file (${e instanceof Error ? e.message : String(e)})`,
      { cause: e },
    );
  }
  const p = parsed as { accessLogCheckpoint?: unknown; id?: unknown } | null;
  const checkpoint = asCheckpoint(p?.accessLogCheckpoint) ?? asCheckpoint(parsed);
  if (!checkpoint) throw new Error(`${arg} holds no access-log checkpoint`);
  const source =
    typeof p?.id === 'string' && p.accessLogCheckpoint ? `publication ${p.id} (${arg})` : arg;
  return { source, checkpoint };
}

// Seals what has committed first (as the app's sealer would within a second), then verifies up to the sealed head.
async function auditVerify(args: string[], out: Out): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { checkpoint: { type: 'string', multiple: true } },
  });
  const chain = accessLogChain(loadEnv(), () => undefined);
  const { result, complete } = await withDatabase(async (ds) => {
    const anchors = [];
    for (const a of values.checkpoint ?? []) anchors.push(await anchorOf(ds, a));
    const complete = await new ChainSealer(ds, chain).sealNow();
    return { result: await verifyAccessLog(ds, chain, anchors), complete };
  });
  const h = result.head;
  out(
    `access log: ${result.entries} sealed entries; head ${h ? `#${h.seq} (position ${h.pos}) ${h.hash}` : '(empty)'}`,
  );
  const c = result.checkpoint;
  out(
    c
      ? `checkpoint outside the database: position ${c.pos} (#${c.seq}) at ${c.at}`
      : 'checkpoint outside the database: none',
  );
  for (const a of result.anchors)
    out(`checkpoint from ${a.source}: position ${a.pos} (#${a.seq}) at ${a.at}`);
  const u = result.unsealed;
  if (u.entries > 0)
    out(
      `unsealed tail: ${u.entries} entries (#${u.fromSeq} to #${u.toSeq}) not chained yet${complete ? '' : ': transactions still in flight'}`,
    );
  for (const b of result.broken) out(`TAMPERED at #${b.seq}: ${b.problem}`);
  out(
    result.ok ? 'access log verified: the hash chain is intact' : 'access log verification FAILED',
  );
  return result.ok ? 0 : 1;
}

export async function main(
  argv: string[],
  out: Out = (l) => process.stdout.write(`${l}\n`),
): Promise<number> {
  const [command, sub, ...rest] = argv;
  try {
    if (command === 'migrate') {
      const env = loadEnv();
      const db = await commandDatabase(env);
      try {
        await prepareDatabase(db.url, out);
      } finally {
        await db.stop();
      }
      return 0;
    }
    if (command === 'user' && sub === 'add') return await userAdd(rest, out);
    const area = AREA_COMMANDS[command ?? ''];
    if (area) return await area(argv.slice(1), out);
    if (command === 'audit' && sub === 'verify') return await auditVerify(rest, out);
  } catch (e) {
    process.stderr.write(`cyberflag: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
  process.stderr.write(`${USAGE}\n`);
  return command === undefined || command === 'help' ? 0 : 2;
}
