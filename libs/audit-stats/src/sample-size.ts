// Sample size for estimating a proportion to a given margin of error (Cochran, Sampling
// Techniques, 3rd ed., chapter 4):
//   n0 = z² p (1 - p) / e²                    (infinite population, simple random sampling)
//   n  = n0 / (1 + (n0 - 1) / N)               (finite population correction, when N is given)
// rounded up, at least 1 and at most N. p = 0.5 is the conservative (largest) choice.
import { assertConfidence, zForConfidence } from './normal.js';

export function sampleSizeForMargin(
  margin: number,
  confidence = 0.95,
  p = 0.5,
  populationSize?: number,
): number {
  if (!(margin > 0 && margin < 1))
    throw new RangeError(`margin must be strictly between 0 and 1, got ${margin}`);
  if (!(p >= 0 && p <= 1)) throw new RangeError(`p must be between 0 and 1, got ${p}`);
  assertConfidence(confidence);
  if (populationSize !== undefined && (!Number.isInteger(populationSize) || populationSize < 0)) {
    throw new RangeError(`population size must be a non-negative integer, got ${populationSize}`);
  }
  if (populationSize === 0) return 0;
  const z = zForConfidence(confidence);
  const n0 = (z * z * p * (1 - p)) / (margin * margin);
  const n = populationSize === undefined ? n0 : n0 / (1 + (n0 - 1) / populationSize);
  // The 1e-9 guards against 385.0000000001 from floating point becoming 386.
  const rounded = Math.max(1, Math.ceil(n - 1e-9));
  return populationSize === undefined ? rounded : Math.min(populationSize, rounded);
}
