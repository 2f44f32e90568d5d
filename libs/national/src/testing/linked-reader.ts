// Test support: the exact attacker across all the linked tables of a publication, working from the published
// strings only (what a reader has), and the true counts to hold its ranges against.
import {
  intervalOfPublished,
  NetworkAttacker,
  type Interval,
  type ResolvedDisclosureConfig,
} from '#libs/disclosure';
import type { CountTables } from '../publication/count-tables.js';
import type { LinkedModel } from '../publication/joint-protection.js';
import type { PublishedTableEntry } from '../publication/publication.types.js';

export type LinkedEntry = LinkedModel['arcs'][number]['entries'][number];

interface Margins<T> {
  rowTotals: readonly T[];
  columnTotals: readonly T[];
  grandTotal: T;
}

function at<T>(t: Margins<T>, cells: readonly (readonly T[])[], e: LinkedEntry['entry']): T {
  return e.kind === 'cell'
    ? cells[e.row]![e.column]!
    : e.kind === 'row-total'
      ? t.rowTotals[e.row]!
      : e.kind === 'column-total'
        ? t.columnTotals[e.column]!
        : t.grandTotal;
}

// The string a linked entry is published as.
export function publishedText(tables: readonly PublishedTableEntry[]): (k: LinkedEntry) => string {
  const byId = new Map(tables.map((t) => [t.id, t.table]));
  return (k) => {
    const t = byId.get(k.table as PublishedTableEntry['id'])!;
    return at(t, t.cells, k.entry);
  };
}

// The true count behind a linked entry.
export function trueCount(counts: CountTables): (k: LinkedEntry) => number {
  return (k) => {
    const t =
      k.table === 'force-by-flag'
        ? counts.forceFlag
        : k.table === 'csa-band-by-sex'
          ? counts.bandSex
          : counts.offenceBand!;
    return at(t, t.counts, k.entry);
  };
}

// The reader of every linked figure at once: each arc's interval is read from the published string of its
// first entry (the tables sharing a figure publish it alike; a caller may check that too).
export function publishedReader(
  model: LinkedModel,
  text: (k: LinkedEntry) => string,
  cfg: ResolvedDisclosureConfig,
): NetworkAttacker {
  const intervals = model.arcs.map((a): Interval =>
    a.entries.length === 0
      ? { lo: 0, hi: Infinity }
      : intervalOfPublished(
          text(a.entries[0]!),
          cfg,
          a.entries[0]!.entry.kind === 'cell' || cfg.suppressSmallTotals,
        ),
  );
  return NetworkAttacker.fromPublished(
    model.nodeCount,
    model.arcs.map((a, i) => ({ u: a.u, v: a.v, interval: intervals[i]! })),
  );
}
