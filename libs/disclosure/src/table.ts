// A two-way frequency table of true counts, as the statistics team holds it before publication
// (domain.md §11, §15 "Disclosure control"). Totals are always computed from the true counts.

/** Zero-based position of an interior cell. */
export interface CellPosition {
  readonly row: number;
  readonly column: number;
}

/**
 * Which combinations are impossible (structural zeros), e.g. 19E (rape of a child under 13) with a
 * victim aged 13+. Either a list of positions or a predicate over the labels.
 */
export type StructuralZeroSpec =
  | readonly CellPosition[]
  | ((rowLabel: string, columnLabel: string, row: number, column: number) => boolean);

export interface CountTableInput {
  readonly rowLabels: readonly string[];
  readonly columnLabels: readonly string[];
  /** counts[row][column]: non-negative integers. Structural-zero cells must hold 0. */
  readonly counts: readonly (readonly number[])[];
  readonly structuralZeros?: StructuralZeroSpec;
  /** Passed through to the publication metadata, e.g. 'crimes' or 'victims'. */
  readonly countingUnit?: string;
}

export interface CountTable {
  readonly rowLabels: readonly string[];
  readonly columnLabels: readonly string[];
  readonly counts: readonly (readonly number[])[];
  /** structural[row][column] is true for an impossible combination (published blank). */
  readonly structural: readonly (readonly boolean[])[];
  readonly rowTotals: readonly number[];
  readonly columnTotals: readonly number[];
  readonly grandTotal: number;
  readonly countingUnit?: string;
}

/** One published entry of a table: an interior cell or one of the totals. */
export type EntryRef =
  | { readonly kind: 'cell'; readonly row: number; readonly column: number }
  | { readonly kind: 'row-total'; readonly row: number }
  | { readonly kind: 'column-total'; readonly column: number }
  | { readonly kind: 'grand-total' };

/** Builds a table, checking the counts and computing row, column and grand totals. */
export function createCountTable(input: CountTableInput): CountTable {
  const { rowLabels, columnLabels, counts } = input;
  const rows = rowLabels.length;
  const columns = columnLabels.length;
  if (rows === 0 || columns === 0)
    throw new RangeError('a table needs at least one row and one column');
  if (counts.length !== rows) {
    throw new RangeError(`expected ${rows} rows of counts, got ${counts.length}`);
  }
  const structural: boolean[][] = [];
  for (let r = 0; r < rows; r++) {
    const line = counts[r]!;
    if (line.length !== columns) {
      throw new RangeError(
        `row ${r} ("${rowLabels[r]}") has ${line.length} counts, expected ${columns}`,
      );
    }
    const flags: boolean[] = [];
    for (let c = 0; c < columns; c++) {
      const v = line[c]!;
      if (!Number.isSafeInteger(v) || v < 0) {
        throw new RangeError(
          `count at row ${r}, column ${c} must be a non-negative integer, got ${v}`,
        );
      }
      flags.push(false);
    }
    structural.push(flags);
  }
  const spec = input.structuralZeros;
  if (typeof spec === 'function') {
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < columns; c++) {
        if (spec(rowLabels[r]!, columnLabels[c]!, r, c)) structural[r]![c] = true;
      }
    }
  } else if (spec) {
    for (const { row, column } of spec) {
      if (
        !Number.isInteger(row) ||
        row < 0 ||
        row >= rows ||
        !Number.isInteger(column) ||
        column < 0 ||
        column >= columns
      ) {
        throw new RangeError(
          `structural zero at (${row}, ${column}) is outside the ${rows}×${columns} table`,
        );
      }
      structural[row]![column] = true;
    }
  }
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < columns; c++) {
      if (structural[r]![c] && counts[r]![c] !== 0) {
        throw new RangeError(
          `cell ("${rowLabels[r]}", "${columnLabels[c]}") is a structural zero but holds ${counts[r]![c]}`,
        );
      }
    }
  }
  const rowTotals = counts.map((line) => line.reduce((a, b) => a + b, 0));
  const columnTotals = columnLabels.map((_, c) => counts.reduce((a, line) => a + line[c]!, 0));
  const grandTotal = rowTotals.reduce((a, b) => a + b, 0);
  return {
    rowLabels: [...rowLabels],
    columnLabels: [...columnLabels],
    counts: counts.map((line) => [...line]),
    structural,
    rowTotals,
    columnTotals,
    grandTotal,
    ...(input.countingUnit === undefined ? {} : { countingUnit: input.countingUnit }),
  };
}

/** Re-checks a table built elsewhere: shape, counts, structural zeros and that totals match. */
export function validateCountTable(table: CountTable): CountTable {
  const structuralZeros: CellPosition[] = [];
  table.structural.forEach((line, row) =>
    line.forEach((flag, column) => {
      if (flag) structuralZeros.push({ row, column });
    }),
  );
  if (
    table.structural.length !== table.rowLabels.length ||
    table.structural.some((l) => l.length !== table.columnLabels.length)
  ) {
    throw new RangeError('structural-zero matrix does not match the table shape');
  }
  const rebuilt = createCountTable({
    rowLabels: table.rowLabels,
    columnLabels: table.columnLabels,
    counts: table.counts,
    structuralZeros,
    ...(table.countingUnit === undefined ? {} : { countingUnit: table.countingUnit }),
  });
  const same = (a: readonly number[], b: readonly number[]) =>
    a.length === b.length && a.every((v, i) => v === b[i]);
  if (
    !same(rebuilt.rowTotals, table.rowTotals) ||
    !same(rebuilt.columnTotals, table.columnTotals) ||
    rebuilt.grandTotal !== table.grandTotal
  ) {
    throw new RangeError('table totals do not equal the sums of its counts');
  }
  return rebuilt;
}

/** Human-readable name of an entry, e.g. `"13-15" × "female"` or `row total "13-15"`. */
export function describeEntry(
  entry: EntryRef,
  labels: { readonly rowLabels: readonly string[]; readonly columnLabels: readonly string[] },
): string {
  switch (entry.kind) {
    case 'cell':
      return `"${labels.rowLabels[entry.row]}" × "${labels.columnLabels[entry.column]}"`;
    case 'row-total':
      return `row total "${labels.rowLabels[entry.row]}"`;
    case 'column-total':
      return `column total "${labels.columnLabels[entry.column]}"`;
    case 'grand-total':
      return 'grand total';
  }
}
