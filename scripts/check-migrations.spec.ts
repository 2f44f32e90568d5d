import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The checksum check as CI runs it (a child process and its exit code), on a copy of migrations/.
const SCRIPT = join(process.cwd(), 'scripts', 'check-migrations.mjs');
const run = (dir: string, ...args: string[]) =>
  spawnSync(process.execPath, [SCRIPT, '--dir', dir, ...args], { encoding: 'utf8' });

describe('migration checksums', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cyberflag-migrations-'));
    cpSync(join(process.cwd(), 'migrations'), dir, { recursive: true });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('passes on the migrations as committed', () => {
    const r = run(dir);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/\d+ landed migrations unchanged/);
  });

  it('fails when a landed migration is edited, even by a comment', () => {
    const file = '1780000007000-SetBasedCrimeReferences.ts';
    appendFileSync(join(dir, file), '// an afterthought\n');
    const r = run(dir);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`${file}: changed after it landed`);
  });

  it('fails when a landed migration is deleted', () => {
    rmSync(join(dir, '1780000011000-ImportCollectionsByImportId.ts'));
    const r = run(dir);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(
      '1780000011000-ImportCollectionsByImportId.ts: recorded but missing',
    );
  });

  it('asks for a new migration to be recorded, and --add records it without touching the others', () => {
    const before = readFileSync(join(dir, 'checksums.json'), 'utf8');
    writeFileSync(join(dir, '1799999999000-AddSomething.ts'), 'export class AddSomething {}\n');
    writeFileSync(join(dir, '1799999999000-AddSomething.int-spec.ts'), '// not a migration\n');
    const refused = run(dir);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('1799999999000-AddSomething.ts: a new migration');
    expect(refused.stderr).not.toContain('int-spec');

    expect(run(dir, '--add').status).toBe(0);
    const after = JSON.parse(readFileSync(join(dir, 'checksums.json'), 'utf8')) as {
      files: Record<string, string>;
    };
    const old = JSON.parse(before) as { files: Record<string, string> };
    expect(after.files).toEqual({
      ...old.files,
      '1799999999000-AddSomething.ts': expect.any(String),
    });
    expect(run(dir).status).toBe(0);

    // Recorded now, so it is landed as far as the check knows: editing it fails too.
    appendFileSync(join(dir, '1799999999000-AddSomething.ts'), '// edited\n');
    expect(run(dir, '--add').status).toBe(1);
  });

  it('reads a CRLF checkout as the same file', () => {
    const file = join(dir, '1780000018000-LoginThrottle.ts');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/\n/g, '\r\n'));
    expect(run(dir).status).toBe(0);
  });
});
