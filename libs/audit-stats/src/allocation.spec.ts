import { allocateProportional } from './allocation.js';

const total = (a: Record<string, number>) => Object.values(a).reduce((s, v) => s + v, 0);

describe('proportional allocation', () => {
  it('splits in proportion to population when the quotas are whole', () => {
    expect(allocateProportional({ a: 600, b: 300, c: 100 }, 100)).toEqual({ a: 60, b: 30, c: 10 });
  });

  it('rounds by largest remainder and sums to the total exactly', () => {
    // quotas 10 × (5, 3, 2)/… : N = 10, total 7 → 3.5, 2.1, 1.4 → floors 3, 2, 1 (6), 1 left → a (.5)
    expect(allocateProportional({ a: 5, b: 3, c: 2 }, 7)).toEqual({ a: 4, b: 2, c: 1 });
    // equal remainders (1/3 each): the leftover goes to the larger population, then by name
    const tied = allocateProportional({ x: 100, y: 100, z: 100 }, 100);
    expect(tied).toEqual({ x: 34, y: 33, z: 33 });
  });

  it('gives at least one to every stratum with records and re-divides the rest', () => {
    // quotas for 10: a 9.89, b .099, c .0099 → b and c fixed at 1, a gets 8
    const result = allocateProportional({ a: 1000, b: 10, c: 1, empty: 0 }, 10);
    expect(result).toEqual({ a: 8, b: 1, c: 1, empty: 0 });
  });

  it('caps every stratum at its population', () => {
    expect(allocateProportional({ a: 3, b: 7 }, 50)).toEqual({ a: 3, b: 7 });
    const result = allocateProportional({ a: 2, b: 1, c: 997 }, 999);
    expect(result.a).toBeLessThanOrEqual(2);
    expect(result.b).toBe(1);
    expect(total(result)).toBe(999);
  });

  it('always sums to the total and respects the bounds', () => {
    const populations = { p: 1234, q: 77, r: 5, s: 1, t: 40000, u: 0, v: 333 };
    for (const n of [6, 7, 50, 101, 997, 5000, 41649]) {
      const result = allocateProportional(populations, n);
      expect(total(result)).toBe(n);
      for (const [name, size] of Object.entries(populations)) {
        expect(result[name]).toBeLessThanOrEqual(size);
        if (size > 0) expect(result[name]).toBeGreaterThanOrEqual(1);
      }
    }
  });

  it('refuses a total too small to give every stratum one record', () => {
    expect(() => allocateProportional({ a: 10, b: 10, c: 10 }, 2)).toThrow(RangeError);
    expect(allocateProportional({ a: 0 }, 0)).toEqual({ a: 0 });
  });

  it('refuses invalid input', () => {
    expect(() => allocateProportional({ a: -1 }, 1)).toThrow(RangeError);
    expect(() => allocateProportional({ a: 10 }, 1.5)).toThrow(RangeError);
  });
});
