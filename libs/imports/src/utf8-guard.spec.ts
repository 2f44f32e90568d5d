import fc from 'fast-check';
import { ImportFileError } from './import-error.js';
import { Utf8Guard, firstInvalidUtf8 } from './utf8-guard.js';

const fatal = (bytes: Uint8Array): boolean => {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
};

// Streams the bytes through the guard in pieces cut at the given points.
const guardAccepts = (bytes: Uint8Array, cuts: number[]): boolean => {
  const guard = new Utf8Guard();
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  let from = 0;
  try {
    for (const to of [...points, bytes.length]) {
      guard.check(Buffer.from(bytes.subarray(from, to)));
      from = to;
    }
    guard.end();
    return true;
  } catch (error) {
    if (!(error instanceof ImportFileError)) throw error;
    return false;
  }
};

// Mostly valid text with a few raw bytes mixed in, so both outcomes are common.
const mixedBytes = fc
  .array(
    fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 4 }).map((s) => [...Buffer.from(s)]),
      fc.integer({ min: 0x80, max: 0xff }).map((b) => [b]),
    ),
    { maxLength: 20 },
  )
  .map((parts) => Uint8Array.from(parts.flat()));

describe('UTF-8 check', () => {
  it('agrees with a fatal TextDecoder on any bytes cut anywhere', () => {
    fc.assert(
      fc.property(mixedBytes, fc.array(fc.nat(), { maxLength: 5 }), (bytes, cuts) => {
        expect(guardAccepts(bytes, cuts)).toBe(fatal(bytes));
        expect(firstInvalidUtf8(bytes) === bytes.length).toBe(fatal(bytes));
      }),
      { numRuns: 2000 },
    );
  });

  it('finds the first bad byte: the valid prefix decodes, the prefix with it does not', () => {
    fc.assert(
      fc.property(mixedBytes, (bytes) => {
        const at = firstInvalidUtf8(bytes);
        expect(fatal(bytes.subarray(0, at))).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it.each([
    ['overlong', [0xc0, 0xaf]],
    ['surrogate', [0xed, 0xa0, 0x80]],
    ['above U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
    ['lone continuation', [0x80]],
  ])('refuses %s', (_name, bytes) => {
    expect(guardAccepts(Uint8Array.from(bytes), [])).toBe(false);
  });
});
