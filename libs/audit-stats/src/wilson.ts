// Wilson score interval for a binomial proportion (Wilson 1927; method 3 in Newcombe 1998,
// Statistics in Medicine 17:857–872). Used for audit accuracy rates (issue 7, domain.md §10).
import { assertConfidence, zForConfidence } from './normal.js';

export interface ProportionInterval {
  estimate: number;
  lower: number;
  upper: number;
}

/**
 * Wilson interval for `successes` out of `n`.
 * Returns null when n = 0: nothing was observed, so there is no estimate (callers show "no data").
 * 0/n and n/n are handled exactly: the lower (resp. upper) limit is 0 (resp. 1).
 */
export function wilsonInterval(
  successes: number,
  n: number,
  confidence = 0.95,
): ProportionInterval | null {
  if (!Number.isInteger(n) || n < 0)
    throw new RangeError(`n must be a non-negative integer, got ${n}`);
  if (!Number.isInteger(successes) || successes < 0 || successes > n) {
    throw new RangeError(`successes must be an integer between 0 and n (${n}), got ${successes}`);
  }
  assertConfidence(confidence);
  if (n === 0) return null;
  return wilsonFromProportion(successes / n, n, zForConfidence(confidence));
}

/**
 * The Wilson formula for an observed proportion p over a (possibly non-integer, possibly infinite)
 * sample size n, with critical value z:
 *   centre = (p + z²/2n) / (1 + z²/n),  half = z/(1 + z²/n) · √(p(1-p)/n + z²/4n²).
 * n = Infinity gives the degenerate interval [p, p]. Used directly by the stratified estimate,
 * where n is an effective sample size.
 */
export function wilsonFromProportion(p: number, n: number, z: number): ProportionInterval {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`p must be between 0 and 1, got ${p}`);
  if (!(n > 0)) throw new RangeError(`n must be positive, got ${n}`);
  if (n === Infinity) return { estimate: p, lower: p, upper: p };
  const z2n = (z * z) / n;
  const denominator = 1 + z2n;
  const centre = (p + z2n / 2) / denominator;
  const half = (z / denominator) * Math.sqrt((p * (1 - p)) / n + z2n / (4 * n));
  return {
    estimate: p,
    lower: p === 0 ? 0 : Math.max(0, centre - half),
    upper: p === 1 ? 1 : Math.min(1, centre + half),
  };
}
