// A benchmark's last line is its result (`ratio …`, or `seconds …` where there is no baseline). A run that ends
// without printing it (a stalled await lets Node quit with code 0, an exception swallowed somewhere) must not look
// like success: every bench calls requireFinalLine() first, and the process then exits 1 unless finalLine ran.
let finalPrinted = false;
export function requireFinalLine(): void {
  process.on('exit', (code) => {
    if (code === 0 && !finalPrinted) {
      console.error('benchmark ended without printing its final line: treat as failed');
      process.exitCode = 1;
    }
  });
}

export function finalLine(name: 'ratio' | 'seconds', value: number, digits: number): void {
  if (!Number.isFinite(value))
    throw new Error(`benchmark result ${name} is not a number: ${value}`);
  console.log(`${name} ${value.toFixed(digits)}`);
  finalPrinted = true;
}

export const printRatio = (value: number, digits: number): void =>
  finalLine('ratio', value, digits);
