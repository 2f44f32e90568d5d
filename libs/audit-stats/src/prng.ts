// Seedable pseudo-random numbers for reproducible audit samples. Not for security.
//
// Seed: a text seed is hashed with cyrb128 (bryc, public domain; github.com/bryc/code,
//   jshash/PRNGs.md) over its UTF-16 code units (String.prototype.charCodeAt) into four 32-bit words.
// Generator: xoshiro128** 1.1 (Blackman & Vigna, prng.di.unimi.it/xoshiro128starstar.c):
//   result = rotl(s1 * 5, 7) * 9; t = s1 << 9; s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t;
//   s3 = rotl(s3, 11). Known answer (tested): state [1, 2, 3, 4] → 11520, 0, 5927040, 70819200, …
// Integers below a bound use rejection sampling, so there is no modulo bias.
// Changing any of this changes every sample drawn from a stored seed: don't.

export type PrngState = [number, number, number, number];

export function cyrb128(text: string): PrngState {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

const TWO_32 = 2 ** 32;

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

export class Xoshiro128 {
  private readonly s: PrngState;

  constructor(state: PrngState) {
    if (state.some((w) => !Number.isInteger(w) || w < 0 || w >= TWO_32))
      throw new RangeError('state words must be 32-bit unsigned integers');
    // The all-zero state is the one fixed point; cyrb128 practically never gives it.
    this.s = state.every((w) => w === 0) ? [1, 0, 0, 0] : [...state];
  }

  static fromSeed(seed: string): Xoshiro128 {
    return new Xoshiro128(cyrb128(seed));
  }

  /** The next 32-bit unsigned integer. */
  nextUint32(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1], 5), 7), 9) >>> 0;
    const t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    for (let i = 0; i < 4; i++) s[i] >>>= 0;
    return result;
  }

  /** A uniform integer in [0, bound), 1 <= bound <= 2^32, without modulo bias. */
  nextBelow(bound: number): number {
    if (!Number.isInteger(bound) || bound < 1 || bound > TWO_32)
      throw new RangeError(`bound must be an integer in [1, 2^32], got ${bound}`);
    const limit = TWO_32 - (TWO_32 % bound); // largest multiple of bound not above 2^32
    for (;;) {
      const r = this.nextUint32();
      if (r < limit) return r % bound;
    }
  }
}
