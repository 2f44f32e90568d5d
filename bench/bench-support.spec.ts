import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

// The guard must run in a process of its own (it acts on process exit), so this transpiles final-line.ts (no
// imports of its own) to a temporary module and spawns Node on it.
const dir = mkdtempSync(join(tmpdir(), 'cyberflag-final-line-'));
const support = join(dir, 'final-line.mjs');

function runBench(body: string): { status: number | null; stdout: string; stderr: string } {
  const script = `import { requireFinalLine, printRatio, finalLine } from ${JSON.stringify(support)};\n${body}`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('benchmark final line', () => {
  beforeAll(() => {
    const source = readFileSync(fileURLToPath(new URL('./final-line.ts', import.meta.url)), 'utf8');
    const { outputText } = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022 },
    });
    writeFileSync(support, outputText);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('fails a bench that ends without its final line, even when nothing threw', () => {
    const r = runBench(`requireFinalLine(); console.log('some figures');`);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('without printing its final line');
  });

  it('fails a bench whose awaited work never settles (Node quits with nothing left to do)', () => {
    const r = runBench(`requireFinalLine(); await new Promise(() => {}); printRatio(1, 2);`);
    expect(r.status).not.toBe(0);
    expect(r.stdout).not.toContain('ratio');
  });

  it('passes a bench that prints its ratio last', () => {
    const r = runBench(`requireFinalLine(); console.log('x'); printRatio(0.8512, 3);`);
    expect(r.status).toBe(0);
    expect(r.stdout.trim().split('\n').pop()).toBe('ratio 0.851');
  });

  it('refuses a result that is not a number', () => {
    const r = runBench(`requireFinalLine(); finalLine('seconds', NaN, 2);`);
    expect(r.status).not.toBe(0);
    expect(r.stdout).not.toContain('seconds');
  });
});
