import { notRankedBecause, underUseOutliers, underUseRows } from './under-use.js';

const t = { minRecords: 30, zThreshold: -1.96 };

describe('underUseRows', () => {
  it('has no score when the force is the only one with records in the group', () => {
    const [row] = underUseRows(
      [{ force_id: 'gwent', group_name: 'robbery', flagged: 1, total: 40 }],
      [{ group_name: 'robbery', flagged: 1, total: 40 }],
      t,
    );
    expect(row).toMatchObject({
      z: null,
      pValue: null,
      ranked: false,
      rest: { flagged: 0, total: 0, rate: null },
    });
    expect(row.reading).toBe('flags 3% of robbery online against 3% nationally');
    expect(notRankedBecause(row, t)).toBe('no records in the rest of England and Wales');
    expect(underUseOutliers([row], t)).toEqual([]);
  });

  it('refuses national totals that do not contain the force', () => {
    expect(() =>
      underUseRows([{ force_id: 'gwent', group_name: 'robbery', flagged: 1, total: 40 }], [], t),
    ).toThrow(/no national total/);
  });

  it('ranks only under-use (negative z), most negative first', () => {
    const rows = underUseRows(
      [
        { force_id: 'a', group_name: 'g', flagged: 30, total: 100 },
        { force_id: 'b', group_name: 'g', flagged: 5, total: 100 },
        { force_id: 'c', group_name: 'g', flagged: 10, total: 100 },
      ],
      [{ group_name: 'g', flagged: 300, total: 1000 }],
      t,
    );
    expect(underUseOutliers(rows, t).map((r) => r.forceId)).toEqual(['b', 'c']);
  });

  it('says why a row is not ranked: too few records on either side; a ranked row has no reason', () => {
    const [small, ranked] = underUseRows(
      [
        { force_id: 'a', group_name: 'g', flagged: 2, total: 29 },
        { force_id: 'b', group_name: 'g', flagged: 30, total: 100 },
      ],
      [{ group_name: 'g', flagged: 300, total: 1000 }],
      t,
    );
    expect(notRankedBecause(small, t)).toBe('fewer than 30 records');
    expect(notRankedBecause(ranked, t)).toBeNull();
  });
});
