#!/usr/bin/env node
// Landed migrations are immutable (style.md §10): a database that ran a migration never runs it again, so an
// edit reaches only new databases and the two drift apart. migrations/checksums.json records a SHA-256 of every
// migration file; this check fails when a recorded file changes or disappears, or when a migration file is not
// recorded yet. `--add` records new files and never rewrites a recorded one.
//
//   node scripts/check-migrations.mjs [--add] [--dir DIR]      (npm run migrations:check / migrations:lock)
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

// <epoch-ms>-<VerbNoun>.ts: index.ts, the list itself and specs are not migrations.
const MIGRATION = /^\d{13}-[A-Za-z0-9]+\.ts$/;
const ALGORITHM = 'sha256 of the file with LF line ends';

// LF line ends, so a checkout with CRLF (core.autocrlf) hashes the same.
const checksum = (path) =>
  createHash('sha256').update(readFileSync(path, 'utf8').replace(/\r\n/g, '\n')).digest('hex');

export function checkMigrations(dir, { add = false } = {}) {
  const listFile = join(dir, 'checksums.json');
  const recorded = existsSync(listFile) ? JSON.parse(readFileSync(listFile, 'utf8')).files : {};
  const present = readdirSync(dir)
    .filter((f) => MIGRATION.test(f))
    .sort();
  const problems = [];
  for (const [file, sum] of Object.entries(recorded)) {
    if (!existsSync(join(dir, file)))
      problems.push(
        `${file}: recorded but missing (a landed migration is never deleted or renamed)`,
      );
    else if (checksum(join(dir, file)) !== sum)
      problems.push(
        `${file}: changed after it landed. Restore it (git checkout main -- migrations/${file}) and write a new migration for the change.`,
      );
  }
  const unrecorded = present.filter((f) => !(f in recorded));
  if (add && unrecorded.length > 0) {
    const files = { ...recorded };
    for (const f of unrecorded) files[f] = checksum(join(dir, f));
    const sorted = Object.fromEntries(Object.entries(files).sort(([a], [b]) => a.localeCompare(b)));
    writeFileSync(
      listFile,
      `${JSON.stringify({ algorithm: ALGORITHM, files: sorted }, null, 2)}\n`,
    );
  } else {
    for (const f of unrecorded)
      problems.push(
        `${f}: a new migration without a recorded checksum: run \`npm run migrations:lock\` and commit migrations/checksums.json with it`,
      );
  }
  return { problems, added: add ? unrecorded : [], checked: Object.keys(recorded).length };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  const dirAt = args.indexOf('--dir');
  const dir = dirAt >= 0 ? args[dirAt + 1] : join(import.meta.dirname, '..', 'migrations');
  const { problems, added, checked } = checkMigrations(dir, { add: args.includes('--add') });
  for (const f of added) console.log(`recorded ${f}`);
  if (problems.length > 0) {
    for (const p of problems) console.error(`migrations: ${p}`);
    process.exit(1);
  }
  console.log(`migrations: ${checked} landed migrations unchanged`);
}
