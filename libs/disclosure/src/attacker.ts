// The exact attacker: what can a reader infer about each suppressed entry from everything published?
//
// Model. A two-way table with margins is a circulation on the network
//   S → row i (row total) → column j (cell i,j) → T (column total) → S (grand total),
// because flow conservation at the row, column, S and T nodes is exactly "cells add up to row totals,
// to column totals, and totals add up to the grand total". The reader knows, for every entry, an
// interval of possible true values: [v, v] for an exactly published count, [p−2, p+2] ∩ [10, ∞) for an
// ONS-rounded one, [0, 0] for a structural zero (or published 0) and [0, ∞) for a suppressed one.
// The reader also knows every count is a non-negative integer.
//
// Exactness. The constraint matrix is a network matrix, hence totally unimodular, and the bounds are
// integers, so: (1) the smallest and largest values an entry can take over all real solutions are
// integers attained by integer solutions, and (2) every integer in between is attained by an integer
// solution (fix the entry to k; the system stays a network with integer bounds and is feasible by
// convexity, so it has an integer vertex). The feasible range computed below is therefore exactly the
// set of values the reader cannot rule out, with integrality and non-negativity taken into account.
//
// Algorithm. Find one feasible circulation f (max-flow with lower bounds). For entry e = (u→v), any
// other feasible circulation is f plus a circulation g in the residual network; g_e = +δ means the
// rest of g carries δ units from v back to u. So the largest increase of e is the max-flow from v to
// u in the residual network without e (capped by e's own headroom), and the largest decrease is the
// max-flow from u to v. Two small max-flows per entry.

import {
  publishedInterval,
  resolveDisclosureConfig,
  type DisclosureConfig,
  type ResolvedDisclosureConfig,
} from './config.js';
import {
  NetworkAttacker,
  type FeasibleRange,
  type Interval,
  type NetworkArc,
} from './network-attacker.js';
import type { EntryRef } from './table.js';

export { InconsistentTableError, type FeasibleRange, type Interval } from './network-attacker.js';

/** Everything the reader knows, entry by entry. Structural zeros are [0, 0]. */
export interface AttackerView {
  readonly cells: readonly (readonly Interval[])[];
  readonly rowTotals: readonly Interval[];
  readonly columnTotals: readonly Interval[];
  readonly grandTotal: Interval;
}

/**
 * Government Analysis Function shorthand for figures not shown as numbers: [c] confidential (suppressed),
 * [z] not applicable (a structural zero, an impossible combination), [x] not available (e.g. a force whose
 * return is not in): Government Analysis Function guidance "Symbols in tables, definitions and help".
 */
export const SUPPRESSED = '[c]';
export const STRUCTURAL_ZERO = '[z]';
export const NOT_AVAILABLE = '[x]';

/** The published form of a table: numbers as strings, "[c]" for suppressed, "[z]" for structural zeros. */
export interface PublishedTable {
  readonly rowLabels: readonly string[];
  readonly columnLabels: readonly string[];
  readonly cells: readonly (readonly string[])[];
  readonly rowTotals: readonly string[];
  readonly columnTotals: readonly string[];
  readonly grandTotal: string;
}

export interface AttackedEntry {
  readonly entry: EntryRef;
  readonly range: FeasibleRange;
}

/**
 * The attacker for one fixed view of a table. Entries are addressed by index:
 * cells row-major (r·C + c), then row totals, then column totals, then the grand total.
 */
export class TableAttacker {
  readonly rows: number;
  readonly columns: number;
  private readonly network: NetworkAttacker;

  /**
   * @param start optional known feasible values per entry index (e.g. the true counts, which always
   * satisfy the reader's constraints); when omitted a feasible table is found by max-flow.
   */
  constructor(view: AttackerView, start?: readonly number[]) {
    this.rows = view.rowTotals.length;
    this.columns = view.columnTotals.length;
    const R = this.rows;
    const C = this.columns;
    if (view.cells.length !== R || view.cells.some((line) => line.length !== C)) {
      throw new RangeError('attacker view: cells do not match the totals');
    }
    // Nodes: S = 0, rows 1..R, columns R+1..R+C, T = R+C+1. Arcs in entry-index order.
    const T = R + C + 1;
    const arcs: NetworkArc[] = [];
    for (let r = 0; r < R; r++)
      for (let c = 0; c < C; c++)
        arcs.push({ u: 1 + r, v: 1 + R + c, interval: view.cells[r]![c]! });
    for (let r = 0; r < R; r++) arcs.push({ u: 0, v: 1 + r, interval: view.rowTotals[r]! });
    for (let c = 0; c < C; c++) arcs.push({ u: 1 + R + c, v: T, interval: view.columnTotals[c]! });
    arcs.push({ u: T, v: 0, interval: view.grandTotal });
    this.network = start
      ? new NetworkAttacker(T + 1, arcs, start)
      : NetworkAttacker.fromPublished(T + 1, arcs);
  }

  get entryCount(): number {
    return (this.rows + 1) * (this.columns + 1);
  }

  indexOf(entry: EntryRef): number {
    return entryIndex(entry, this.rows, this.columns);
  }

  /** Exact range of values the reader cannot rule out for the entry. */
  range(index: number): FeasibleRange {
    return this.network.range(index);
  }
}

export function entryIndex(entry: EntryRef, rows: number, columns: number): number {
  switch (entry.kind) {
    case 'cell':
      return entry.row * columns + entry.column;
    case 'row-total':
      return rows * columns + entry.row;
    case 'column-total':
      return rows * columns + rows + entry.column;
    case 'grand-total':
      return rows * columns + rows + columns;
  }
}

export function entryAt(index: number, rows: number, columns: number): EntryRef {
  const cells = rows * columns;
  if (index < cells)
    return { kind: 'cell', row: Math.floor(index / columns), column: index % columns };
  if (index < cells + rows) return { kind: 'row-total', row: index - cells };
  if (index < cells + rows + columns) return { kind: 'column-total', column: index - cells - rows };
  if (index === cells + rows + columns) return { kind: 'grand-total' };
  throw new RangeError(`no entry ${index}`);
}

/** The reader's knowledge of one published string under the given method. */
export function intervalOfPublished(
  text: string,
  config: ResolvedDisclosureConfig,
  subjectToPrimary = true,
): Interval {
  if (text === STRUCTURAL_ZERO) return { lo: 0, hi: 0 };
  if (text === SUPPRESSED) return { lo: 0, hi: Infinity };
  if (!/^\d+$/.test(text)) throw new RangeError(`cannot read published value "${text}"`);
  return publishedInterval(Number(text), config, subjectToPrimary);
}

/** Builds the reader's view of a published table. */
export function attackerViewOf(
  published: PublishedTable,
  config: ResolvedDisclosureConfig,
): AttackerView {
  const cell = (t: string) => intervalOfPublished(t, config);
  const total = (t: string) => intervalOfPublished(t, config, config.suppressSmallTotals);
  return {
    cells: published.cells.map((line) => line.map(cell)),
    rowTotals: published.rowTotals.map(total),
    columnTotals: published.columnTotals.map(total),
    grandTotal: total(published.grandTotal),
  };
}

/**
 * Attacks a published table using only what it shows (and the method's public rules): returns the
 * exact feasible range of every suppressed ("[c]") entry.
 */
export function attackPublishedTable(
  published: PublishedTable,
  config: DisclosureConfig | ResolvedDisclosureConfig = { method: 'threshold' },
): AttackedEntry[] {
  const resolved = 'roundingBase' in config ? config : resolveDisclosureConfig(config);
  const attacker = new TableAttacker(attackerViewOf(published, resolved));
  const rows = published.rowTotals.length;
  const columns = published.columnTotals.length;
  const texts = [
    ...published.cells.flat(),
    ...published.rowTotals,
    ...published.columnTotals,
    published.grandTotal,
  ];
  const out: AttackedEntry[] = [];
  texts.forEach((text, index) => {
    if (text === SUPPRESSED)
      out.push({ entry: entryAt(index, rows, columns), range: attacker.range(index) });
  });
  return out;
}
