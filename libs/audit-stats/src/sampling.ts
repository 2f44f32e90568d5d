// Reproducible stratified random sample (issue 7 §4: "reproducible stratified random sample (seeded)").
//
// For each stratum in the allocation:
//   1. its units' ids are sorted by UTF-16 code unit order (not locale order), so the order units
//      arrive in (database order, paging) cannot change the sample;
//   2. a generator is seeded from `${seed}\u0000${stratum}` (see prng.ts), so each stratum's draw is
//      independent of the others: adding or resizing one stratum leaves the others' samples alone;
//   3. a partial Fisher–Yates shuffle picks k ids: for i = 0 .. k-1, swap position i with a uniform
//      position in [i, size); the first k positions are the sample, in draw order.
// Strata in the units but not in the allocation are not sampled. An allocation larger than its
// stratum, a stratum with no units but a positive allocation, or duplicate ids are refused.
import { Xoshiro128 } from './prng.js';

export interface SamplingUnit {
  id: string;
  stratum: string;
}

export function drawStratifiedSample(
  units: readonly SamplingUnit[],
  allocation: Readonly<Record<string, number>>,
  seed: string,
): Record<string, string[]> {
  const byStratum = groupIds(units);
  const sample: Record<string, string[]> = {};
  for (const stratum of Object.keys(allocation)) {
    const k = allocation[stratum];
    const ids = byStratum.get(stratum) ?? [];
    if (!Number.isInteger(k) || k < 0 || k > ids.length) {
      throw new RangeError(`stratum '${stratum}': cannot draw ${k} from ${ids.length} unit(s)`);
    }
    sample[stratum] = partialShuffle(
      ids.sort(compareCodeUnits),
      k,
      Xoshiro128.fromSeed(`${seed}\u0000${stratum}`),
    );
  }
  return sample;
}

function groupIds(units: readonly SamplingUnit[]): Map<string, string[]> {
  const seen = new Set<string>();
  const groups = new Map<string, string[]>();
  for (const { id, stratum } of units) {
    if (seen.has(id)) throw new RangeError(`unit id '${id}' appears more than once`);
    seen.add(id);
    const group = groups.get(stratum);
    if (group) group.push(id);
    else groups.set(stratum, [id]);
  }
  return groups;
}

function partialShuffle(ids: string[], k: number, rng: Xoshiro128): string[] {
  for (let i = 0; i < k; i++) {
    const j = i + rng.nextBelow(ids.length - i);
    [ids[i], ids[j]] = [ids[j], ids[i]];
  }
  return ids.slice(0, k);
}

function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
