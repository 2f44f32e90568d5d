import {
  applyDisclosureControl,
  attackPublishedTable,
  createCountTable,
  resolveDisclosureConfig,
  roundToBase,
  type CountTableInput,
  type DisclosureResult,
  type EntryRef,
} from './index.js';

const table = (counts: number[][], extra: Partial<CountTableInput> = {}) =>
  createCountTable({
    rowLabels: counts.map((_, r) => `r${r}`),
    columnLabels: counts[0]!.map((_, c) => `c${c}`),
    counts,
    ...extra,
  });

const reasonAt = (result: DisclosureResult, entry: EntryRef) =>
  result.suppressed.find((s) => JSON.stringify(s.entry) === JSON.stringify(entry))?.reason;

describe('count tables', () => {
  it('computes row, column and grand totals from the true counts', () => {
    const t = table([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(t.rowTotals).toEqual([6, 15]);
    expect(t.columnTotals).toEqual([5, 7, 9]);
    expect(t.grandTotal).toBe(21);
  });

  it.each([
    ['a negative count', [[-1, 2]]],
    ['a fractional count', [[1.5, 2]]],
    ['a ragged row', [[1, 2], [3]]],
  ])('refuses %s', (_, counts) => {
    expect(() =>
      createCountTable({ rowLabels: counts.map(String), columnLabels: ['a', 'b'], counts }),
    ).toThrow(RangeError);
  });

  it('refuses a structural zero that holds a count', () => {
    expect(() => table([[1, 2]], { structuralZeros: [{ row: 0, column: 1 }] })).toThrow(
      /structural zero/,
    );
  });

  it('refuses a hand-built table whose totals do not add up', () => {
    const t = { ...table([[10, 20]]), grandTotal: 31 };
    expect(() => applyDisclosureControl(t)).toThrow(/totals/);
  });
});

describe('threshold method (FOI practice: 1–4 shown as [c])', () => {
  // Worked by hand: the 3 at (r0, c0) is primary. The line rule pairs it with the smallest cell of
  // row 0 (10 at c1) and of column 0 (8 at r1); column 1 then holds only the 10, so its smallest
  // other cell (7 at r1) joins, which closes the rectangle {3, 10, 8, 7}. With x = the hidden 3:
  // row 0: x + y = 13, column 0: x + z = 11, row 1: z + w = 15 → x ranges over 0..11.
  const worked = table([
    [3, 10, 12],
    [8, 7, 20],
    [15, 11, 9],
  ]);

  it('suppresses the small cell and at least one more cell in its row and its column', () => {
    const result = applyDisclosureControl(worked);
    expect(result.table.cells).toEqual([
      ['[c]', '[c]', '12'],
      ['[c]', '[c]', '20'],
      ['15', '11', '9'],
    ]);
    expect(result.table.rowTotals).toEqual(['25', '35', '35']);
    expect(result.table.columnTotals).toEqual(['26', '28', '41']);
    expect(result.table.grandTotal).toBe('95');
    expect(reasonAt(result, { kind: 'cell', row: 0, column: 0 })).toBe('primary');
    expect(reasonAt(result, { kind: 'cell', row: 0, column: 1 })).toBe('secondary');
    expect(reasonAt(result, { kind: 'cell', row: 1, column: 0 })).toBe('secondary');
    expect(reasonAt(result, { kind: 'cell', row: 1, column: 1 })).toBe('secondary');
    expect(result.metadata.allProtected).toBe(true);
  });

  it('leaves the reader unable to recover the 3 from the totals', () => {
    const result = applyDisclosureControl(worked);
    const attacked = attackPublishedTable(result.table);
    expect(attacked.map((a) => a.range)).toEqual([
      { min: 0, max: 11 },
      { min: 2, max: 13 },
      { min: 0, max: 11 },
      { min: 4, max: 15 },
    ]);
    expect(result.suppressed.map((s) => s.range)).toEqual(attacked.map((a) => a.range));
  });

  it('without secondary suppression the 3 is exposed, and the result says so', () => {
    const result = applyDisclosureControl(worked, { method: 'threshold', secondary: false });
    expect(result.table.cells[0]).toEqual(['[c]', '10', '12']);
    expect(result.suppressed).toEqual([
      expect.objectContaining({ reason: 'primary', range: { min: 3, max: 3 }, protected: false }),
    ]);
    expect(result.metadata.allProtected).toBe(false);
  });

  it('publishes zeros as 0 by default and can treat them as sensitive', () => {
    const t = table([
      [0, 20, 30],
      [25, 40, 50],
    ]);
    expect(applyDisclosureControl(t).table.cells[0]![0]).toBe('0');
    const strict = applyDisclosureControl(t, { method: 'threshold', suppressZeros: true });
    expect(strict.table.cells[0]![0]).toBe('[c]');
    // a hidden zero must look possibly ≥ 5, not merely possibly other than 0
    const hidden = strict.suppressed.find((s) => s.reason === 'primary')!;
    expect(hidden.range!.max).toBeGreaterThanOrEqual(5);
  });

  it('honours a different threshold', () => {
    const t = table([
      [3, 20, 30],
      [25, 40, 50],
    ]);
    expect(
      applyDisclosureControl(t, { method: 'threshold', threshold: 3 }).table.cells[0]![0],
    ).toBe('3');
    expect(
      applyDisclosureControl(t, { method: 'threshold', threshold: 5 }).table.cells[0]![0],
    ).toBe('[c]');
  });

  it('suppresses small totals too, unless told not to', () => {
    const t = table([
      [2, 1, 0],
      [25, 40, 50],
    ]);
    const result = applyDisclosureControl(t);
    expect(result.table.rowTotals[0]).toBe('[c]');
    expect(reasonAt(result, { kind: 'row-total', row: 0 })).toBe('primary');
    const lax = applyDisclosureControl(t, {
      method: 'threshold',
      suppressSmallTotals: false,
      secondary: false,
    });
    expect(lax.table.rowTotals[0]).toBe('3');
  });

  it('suppresses totals when the cells alone cannot protect a single-row table, and reports it', () => {
    const result = applyDisclosureControl(table([[3, 10, 20]]));
    // each column total IS its cell, so the column totals of both hidden cells must go too
    expect(result.table.cells).toEqual([['[c]', '[c]', '20']]);
    expect(result.table.columnTotals).toEqual(['[c]', '[c]', '20']);
    expect(result.table.rowTotals).toEqual(['33']);
    expect(reasonAt(result, { kind: 'column-total', column: 1 })).toBe('secondary');
    expect(result.notes).toEqual([
      expect.stringContaining('column total "c1" suppressed (secondary)'),
    ]);
    expect(attackPublishedTable(result.table).every((a) => a.range.max - a.range.min >= 1)).toBe(
      true,
    );
  });

  it('hides everything, totals included, when the whole table is small', () => {
    const result = applyDisclosureControl(table([[1, 2]]));
    expect(result.table).toMatchObject({
      cells: [['[c]', '[c]']],
      rowTotals: ['[c]'],
      columnTotals: ['[c]', '[c]'],
      grandTotal: '[c]',
    });
    expect(result.suppressed.every((s) => s.range!.max === Infinity)).toBe(true);
  });

  it('breaks a bridge between two suppression rectangles', () => {
    // Two rectangles {r0,r1}×{c0,c1} and {r2,r3}×{c2,c3} would satisfy "two per line" yet a cell
    // joining them is derivable; the attacker catches any such pattern.
    const t = table([
      [1, 2, 30, 40],
      [2, 1, 50, 60],
      [30, 40, 1, 2],
      [50, 60, 2, 1],
    ]);
    const result = applyDisclosureControl(t);
    expect(result.metadata.allProtected).toBe(true);
    for (const a of attackPublishedTable(result.table))
      expect(a.range.max - a.range.min).toBeGreaterThanOrEqual(1);
  });
});

describe('structural zeros', () => {
  // Offences × victim age: 19E (rape of a child under 13) cannot have a victim aged 13+, 19C (rape
  // of a female aged 16 or over) cannot have a victim under 16, 19D (rape of a female child under 16)
  // cannot have a victim aged 16+.
  const structural = (offence: string, age: string) =>
    (offence === '19E' && age !== 'under 13') ||
    (offence === '19D' && age === '16+') ||
    (offence === '19C' && age !== '16+');
  const offences = createCountTable({
    rowLabels: ['19C', '19D', '19E'],
    columnLabels: ['under 13', '13-15', '16+'],
    counts: [
      [0, 0, 41],
      [0, 23, 0],
      [17, 0, 0],
    ],
    structuralZeros: structural,
    countingUnit: 'crimes',
  });

  it('are published blank, not 0, and listed as structural', () => {
    const result = applyDisclosureControl(offences);
    expect(result.table.cells).toEqual([
      ['[z]', '[z]', '41'],
      ['0', '23', '[z]'],
      ['17', '[z]', '[z]'],
    ]);
    expect(result.suppressed.filter((s) => s.reason === 'structural')).toHaveLength(5);
    expect(result.suppressed.find((s) => s.reason === 'structural')).toEqual({
      entry: { kind: 'cell', row: 0, column: 0 },
      label: '"19C" × "under 13"',
      reason: 'structural',
    });
    expect(result.metadata.countingUnit).toBe('crimes');
  });

  it('are known zeros to the attacker, so they never count as a second suppressed cell', () => {
    const t = createCountTable({
      rowLabels: ['19C', '19D', '19E'],
      columnLabels: ['under 13', '13-15', '16+'],
      counts: [
        [0, 0, 41],
        [12, 3, 0],
        [17, 0, 0],
      ],
      structuralZeros: structural,
    });
    const result = applyDisclosureControl(t);
    expect(result.table.cells[1]![1]).toBe('[c]');
    // 19D's only other possible cell is "under 13"; it must be hidden too, and so on around a cycle
    expect(result.table.cells[1]![0]).toBe('[c]');
    for (const a of attackPublishedTable(result.table))
      expect(a.range.max - a.range.min).toBeGreaterThanOrEqual(1);
    expect(result.metadata.allProtected).toBe(true);
  });
});

describe('ONS 10-5 rule', () => {
  const t = table([
    [12, 23, 7],
    [40, 18, 31],
  ]);

  it('suppresses counts below 10 and rounds every other figure, totals included, to the nearest 5', () => {
    const result = applyDisclosureControl(t, { method: 'ons-10-5' });
    const { cells, rowTotals, columnTotals, grandTotal } = result.table;
    expect(cells[0]![2]).toBe('[c]');
    expect(reasonAt(result, { kind: 'cell', row: 0, column: 2 })).toBe('primary');
    const truth = [...t.counts.flat(), ...t.rowTotals, ...t.columnTotals, t.grandTotal];
    const shown = [...cells.flat(), ...rowTotals, ...columnTotals, grandTotal];
    shown.forEach((text, k) => {
      if (text !== '[c]') expect(Number(text)).toBe(roundToBase(truth[k]!, 5));
    });
    expect(rowTotals).toEqual(['40', '90']); // 42 → 40, 89 → 90
    expect(grandTotal).toBe('130'); // 131 → 130
    expect(result.metadata).toMatchObject({ method: 'ons-10-5', threshold: 10, roundingBase: 5 });
    expect(result.metadata.methodologyNote).toMatch(/nearest 5/);
  });

  it('rounds halves away from the sensitive side (x5 stays, 12 → 10, 13 → 15)', () => {
    expect([10, 12, 13, 17, 18, 25].map((v) => roundToBase(v, 5))).toEqual([
      10, 10, 15, 15, 20, 25,
    ]);
  });

  it('the interval attacker cannot tell the hidden 7 is small', () => {
    const result = applyDisclosureControl(t, { method: 'ons-10-5' });
    const hidden = attackPublishedTable(result.table, { method: 'ons-10-5' });
    expect(hidden.length).toBeGreaterThanOrEqual(2);
    const seven = hidden.find(
      (h) => h.entry.kind === 'cell' && h.entry.row === 0 && h.entry.column === 2,
    )!;
    expect(seven.range.min === 0 || seven.range.max >= 10).toBe(true);
  });

  it('with rounding alone a lone hidden cell can still be bracketed: the line rule still applies', () => {
    const result = applyDisclosureControl(t, { method: 'ons-10-5' });
    for (const line of [result.table.cells[0]!, result.table.cells.map((l) => l[2]!)]) {
      expect(line.filter((x) => x === '[c]').length).toBeGreaterThanOrEqual(2);
    }
  });
});

describe('optimal secondary suppression (least cost, MIP)', () => {
  // The 3 at (a, y) is primary. Any protecting pattern holds a cycle of hidden cells through it; the
  // cheapest is the rectangle rows a, c × columns y, z: 11 + 11 + 17 = 39 (rows a, b would cost
  // 11 + 7 + 24 = 42, column x is far dearer). With x the hidden 3, the reader knows x + (a,z) = 14,
  // x + (c,y) = 14 and (c,y) + (c,z) = 28, so x ranges over 0..14: it covers the protection interval
  // [max(0, 3 − 5), 3 + 5] = [0, 8].
  const t = table([
    [44, 3, 11],
    [35, 7, 24],
    [38, 11, 17],
  ]);

  it('hides the cheapest protecting pattern, where the greedy method hides two whole columns', () => {
    const optimal = applyDisclosureControl(t);
    expect(optimal.metadata).toMatchObject({
      secondaryMethod: 'optimal',
      cost: 'value',
      allProtected: true,
    });
    expect(optimal.table.cells).toEqual([
      ['44', '[c]', '[c]'],
      ['35', '7', '24'],
      ['38', '[c]', '[c]'],
    ]);
    expect(optimal.suppressed.find((s) => s.reason === 'primary')!.range).toEqual({
      min: 0,
      max: 14,
    });
    const greedy = applyDisclosureControl(t, { method: 'threshold', secondaryMethod: 'greedy' });
    expect(greedy.metadata).toMatchObject({ secondaryMethod: 'greedy', allProtected: true });
    expect(greedy.table.cells.map((line) => line.slice(1))).toEqual([
      ['[c]', '[c]'],
      ['[c]', '[c]'],
      ['[c]', '[c]'],
    ]);
  });

  it('meets wider protection levels (tau-ARGUS lower and upper) when asked', () => {
    const wide = applyDisclosureControl(t, { method: 'threshold', protection: { upper: 20 } });
    const hidden3 = wide.suppressed.find((s) => s.reason === 'primary')!;
    expect(hidden3.range!.min).toBe(0);
    expect(hidden3.range!.max).toBeGreaterThanOrEqual(23);
    expect(wide.metadata.allProtected).toBe(true);
    expect(
      attackPublishedTable(wide.table).find(
        (a) => a.entry.kind === 'cell' && a.entry.row === 0 && a.entry.column === 1,
      )!.range.max,
    ).toBeGreaterThanOrEqual(23);
  });

  it('falls back to the greedy method, saying so, when the solver cannot finish in time', () => {
    const late = applyDisclosureControl(t, { method: 'threshold', timeLimitSeconds: 1e-6 });
    expect(late.metadata).toMatchObject({ secondaryMethod: 'greedy', allProtected: true });
    expect(late.notes).toContainEqual(
      expect.stringMatching(/did not finish within 0.000001 s, so the greedy method was used/),
    );
    expect(late.table).toEqual(
      applyDisclosureControl(t, { method: 'threshold', secondaryMethod: 'greedy' }).table,
    );
  });
});

describe('configuration', () => {
  it('defaults to the threshold method with threshold 5 and secondary suppression', () => {
    expect(resolveDisclosureConfig()).toMatchObject({
      method: 'threshold',
      threshold: 5,
      roundingBase: 1,
      suppressZeros: false,
      secondary: true,
      secondaryMethod: 'optimal',
      cost: 'value',
      timeLimitSeconds: 10,
      protection: { minimumWidth: 1, requireNonSensitiveValue: true, lower: 5, upper: 5 },
    });
    expect(resolveDisclosureConfig({ method: 'ons-10-5' }).protection).toMatchObject({
      lower: 10,
      upper: 10,
    });
  });

  it('refuses a nonsensical threshold or protection width', () => {
    expect(() => resolveDisclosureConfig({ method: 'threshold', threshold: 0 })).toThrow(
      RangeError,
    );
    expect(() =>
      resolveDisclosureConfig({ method: 'threshold', protection: { minimumWidth: 0 } }),
    ).toThrow(RangeError);
    expect(() =>
      resolveDisclosureConfig({ method: 'threshold', protection: { upper: -1 } }),
    ).toThrow(RangeError);
    expect(() => resolveDisclosureConfig({ method: 'threshold', timeLimitSeconds: 0 })).toThrow(
      RangeError,
    );
    expect(() =>
      resolveDisclosureConfig({ method: 'threshold', cost: 'money' as 'value' }),
    ).toThrow(RangeError);
  });

  it('a wider protection interval hides more', () => {
    const t = table([
      [3, 10, 12],
      [8, 7, 20],
      [15, 11, 9],
    ]);
    const wide = applyDisclosureControl(t, {
      method: 'threshold',
      protection: { minimumWidth: 15 },
    });
    for (const s of wide.suppressed) expect(s.range!.max - s.range!.min).toBeGreaterThanOrEqual(15);
  });
});
