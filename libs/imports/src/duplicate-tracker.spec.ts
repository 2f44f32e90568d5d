import { DuplicateTracker } from './duplicate-tracker.js';

describe('DuplicateTracker', () => {
  it('returns the first line of a repeated (force, reference) pair and null otherwise', () => {
    const t = new DuplicateTracker();
    expect(t.firstLine('derbyshire', 'A/1', 2)).toBeNull();
    expect(t.firstLine('kent', 'A/1', 3)).toBeNull();
    expect(t.firstLine('derbyshire', 'a/1', 4)).toBeNull(); // references are case-sensitive, as in the database
    expect(t.firstLine('derbyshire', 'A/1', 5)).toBe(2);
    expect(t.firstLine('derbyshire', 'A/1', 6)).toBe(2);
    expect(t.size).toBe(3);
  });

  it('stays exact over many pairs', () => {
    const t = new DuplicateTracker();
    const n = 50_000;
    let reported = 0;
    for (let i = 0; i < n; i++)
      if (t.firstLine(`force-${i % 44}`, `REF-${i}`, i + 1) !== null) reported++;
    const wrong: number[] = [];
    for (let i = 0; i < n; i += 97)
      if (t.firstLine(`force-${i % 44}`, `REF-${i}`, n + i + 1) !== i + 1) wrong.push(i);
    expect([reported, wrong, t.size]).toEqual([0, [], n]);
  });
});
