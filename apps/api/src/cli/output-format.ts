import { writeFileSync } from 'node:fs';
import type { Out } from './cli-support.js';

// On a terminal, a report command prints a readable table by default; piped or redirected, it keeps its
// machine format (national: JSON; return: --format stays required) unless --format says otherwise.
// Writing to a file (--out FILE) never defaults to a table.
export function defaultFormat(
  outTarget: string | undefined,
  stdoutIsTTY = process.stdout.isTTY === true,
): 'table' | undefined {
  return stdoutIsTTY && (outTarget === undefined || outTarget === '-') ? 'table' : undefined;
}

// A table goes to the terminal (`out`), or to --out FILE as text.
export function writeText(lines: string[], target: string | undefined, out: Out): number {
  if (target === undefined || target === '-') lines.forEach((l) => out(l));
  else {
    writeFileSync(target, `${lines.join('\n')}\n`);
    out(`wrote ${target} (${lines.length} lines, text/plain)`);
  }
  return 0;
}
