// The demo data's random numbers: the audit sampler's seeded xoshiro128** (libs/audit-stats), so the project
// has one PRNG. Deterministic across runs and platforms; Math.random is never used.
import { Xoshiro128 } from '#libs/audit-stats';

export class Prng {
  private readonly gen: Xoshiro128;

  constructor(seed: string) {
    this.gen = Xoshiro128.fromSeed(seed);
  }

  // Uniform in [0, 1).
  next(): number {
    return this.gen.nextUint32() / 4294967296;
  }

  // Integer in [min, max], inclusive.
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }
}

// Weighted choice with a precomputed cumulative table (binary search: O(log n) a draw).
export class WeightedTable<T> {
  private readonly cumulative: number[] = [];
  private readonly total: number;

  constructor(private readonly items: readonly (readonly [T, number])[]) {
    let sum = 0;
    for (const [, weight] of items) {
      if (!(weight >= 0)) throw new RangeError('weights must be non-negative');
      sum += weight;
      this.cumulative.push(sum);
    }
    if (sum <= 0) throw new RangeError('at least one weight must be positive');
    this.total = sum;
  }

  draw(rng: Prng): T {
    const x = rng.next() * this.total;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.cumulative[mid] > x) hi = mid;
      else lo = mid + 1;
    }
    return this.items[lo][0];
  }
}
