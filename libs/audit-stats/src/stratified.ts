// Stratified accuracy estimate for an audit sample (issue 7 §4; HMICFRS method, domain.md §10).
//
// Notation: stratum h has population N_h, sample n_h (records with a decisive verdict; "cannot
// tell" is left out by the caller), successes x_h, p_h = x_h / n_h, weight W_h = N_h / N.
//
// Estimate: p_st = Σ W_h p_h (the population-weighted proportion).
// Variance: v = Σ W_h² c_h p_h(1 - p_h) / n_h, with c_h = (N_h - n_h) / (N_h - 1) when the finite
//   population correction is on (sampling without replacement; c_h = 0 for a census, N_h = 1 → 0)
//   and c_h = 1 when it is off. This is the textbook stratified variance (Cochran, Sampling
//   Techniques, 3rd ed., chapters 3 and 5) with the binomial p(1-p)/n in place of pq/(n-1), so that
//   one stratum without the correction gives back plain Wilson exactly.
// Interval: Wilson at the effective sample size n_eff = p_st(1 - p_st) / v (Kish's design effect,
//   deff = (p(1-p)/n) / v; the same device Korn & Graubard 1998 use for Clopper–Pearson), i.e.
//   wilsonFromProportion(p_st, n_eff, z). When v = 0 the variance estimate carries no information
//   (every sampled stratum is all-correct or all-wrong, or is a census), so n_eff falls back to the
//   value it takes if all strata share one proportion: n_eff = 1 / Σ W_h² c_h / n_h (Infinity for a
//   full census, which then gives the exact [p, p]).
// Per-stratum intervals use the same method with one stratum (plain Wilson when FPC is off).
// Known limitation: a stratum with p_h of 0 or 1 adds no variance, so with many such strata the
//   overall interval can be optimistic; keep strata large enough to see errors.
//
// Wrongly flagged crimes in the population: Σ N_h (1 - p_h) = N (1 - p_st); its interval is
//   N (1 - upper) .. N (1 - lower), from the overall interval.
import { assertConfidence, zForConfidence } from './normal.js';
import { type ProportionInterval, wilsonFromProportion } from './wilson.js';

export interface StratumCounts {
  stratum: string;
  populationSize: number; // N_h
  sampleSize: number; // n_h
  successes: number; // x_h
}

export interface StratifiedOptions {
  confidence?: number; // default 0.95
  finitePopulationCorrection?: boolean; // default true
}

export interface StratumEstimate extends StratumCounts {
  weight: number; // N_h / N
  interval: DesignInterval | null; // null when n_h = 0
}

export interface DesignInterval extends ProportionInterval {
  effectiveSampleSize: number; // n_eff (Infinity for a full census)
}

export interface CountInterval {
  estimate: number;
  lower: number;
  upper: number;
}

export interface StratifiedEstimate {
  confidence: number;
  finitePopulationCorrection: boolean;
  populationSize: number; // N
  sampleSize: number; // Σ n_h
  strata: StratumEstimate[];
  /** Strata with population but no sample: the overall figures are null while any exist. */
  unsampledStrata: string[];
  overall: DesignInterval | null;
  /** Estimated wrongly recorded crimes in the population, Σ N_h (1 - p_h). */
  wrong: CountInterval | null;
}

export function stratifiedEstimate(
  strata: readonly StratumCounts[],
  options: StratifiedOptions = {},
): StratifiedEstimate {
  const confidence = options.confidence ?? 0.95;
  const fpc = options.finitePopulationCorrection ?? true;
  assertConfidence(confidence);
  strata.forEach(assertCounts);
  assertUniqueNames(strata);
  const z = zForConfidence(confidence);
  const populationSize = sum(strata.map((s) => s.populationSize));
  const sampleSize = sum(strata.map((s) => s.sampleSize));

  const estimates: StratumEstimate[] = strata.map((s) => ({
    ...s,
    weight: populationSize === 0 ? 0 : s.populationSize / populationSize,
    interval: s.sampleSize === 0 ? null : intervalFor([{ ...s, weight: 1 }], fpc, z),
  }));
  const unsampledStrata = strata
    .filter((s) => s.populationSize > 0 && s.sampleSize === 0)
    .map((s) => s.stratum);
  const base = {
    confidence,
    finitePopulationCorrection: fpc,
    populationSize,
    sampleSize,
    strata: estimates,
    unsampledStrata,
  };
  if (populationSize === 0 || unsampledStrata.length > 0)
    return { ...base, overall: null, wrong: null };

  const weighted = estimates.filter((s) => s.weight > 0);
  const overall = intervalFor(weighted, fpc, z);
  const wrong = {
    estimate: sum(
      strata.map((s) =>
        s.sampleSize === 0 ? 0 : s.populationSize * (1 - s.successes / s.sampleSize),
      ),
    ),
    lower: populationSize * (1 - overall.upper),
    upper: populationSize * (1 - overall.lower),
  };
  return { ...base, overall, wrong };
}

interface Weighted extends StratumCounts {
  weight: number;
}

function intervalFor(strata: readonly Weighted[], fpc: boolean, z: number): DesignInterval {
  let p = 0;
  let variance = 0;
  let inverseEqualP = 0; // Σ W_h² c_h / n_h
  for (const s of strata) {
    const ph = s.successes / s.sampleSize;
    const c = fpc ? correction(s.populationSize, s.sampleSize) : 1;
    p += s.weight * ph;
    variance += (s.weight * s.weight * c * ph * (1 - ph)) / s.sampleSize;
    inverseEqualP += (s.weight * s.weight * c) / s.sampleSize;
  }
  p = Math.min(1, Math.max(0, p));
  const effectiveSampleSize =
    variance > 0 ? (p * (1 - p)) / variance : inverseEqualP > 0 ? 1 / inverseEqualP : Infinity;
  return { ...wilsonFromProportion(p, effectiveSampleSize, z), effectiveSampleSize };
}

function correction(populationSize: number, sampleSize: number): number {
  return populationSize <= 1 ? 0 : (populationSize - sampleSize) / (populationSize - 1);
}

function assertCounts(s: StratumCounts): void {
  const { stratum, populationSize: N, sampleSize: n, successes: x } = s;
  if (!Number.isInteger(N) || N < 0)
    throw new RangeError(
      `stratum '${stratum}': population size must be a non-negative integer, got ${N}`,
    );
  if (!Number.isInteger(n) || n < 0 || n > N)
    throw new RangeError(
      `stratum '${stratum}': sample size must be an integer between 0 and ${N}, got ${n}`,
    );
  if (!Number.isInteger(x) || x < 0 || x > n)
    throw new RangeError(
      `stratum '${stratum}': successes must be an integer between 0 and ${n}, got ${x}`,
    );
}

function assertUniqueNames(strata: readonly StratumCounts[]): void {
  const seen = new Set<string>();
  for (const s of strata) {
    if (seen.has(s.stratum)) throw new RangeError(`stratum '${s.stratum}' is listed twice`);
    seen.add(s.stratum);
  }
}

function sum(values: readonly number[]): number {
  return values.reduce((total, v) => total + v, 0);
}
