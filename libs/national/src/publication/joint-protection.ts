// Joint disclosure control for tables that share figures. libs/disclosure protects each table on its own
// and documents that linked tables "must be protected jointly": a column total of one table that is the
// grand total of another could be differenced to recover a cell each table hides. Here, after
// applyDisclosureControl has run on every table, (1) a figure shared by several tables is suppressed in
// all of them if it is suppressed in any, and (2) the exact attacker runs on the linked network of all
// tables at once; while it can pin down a suppressed figure, one more figure is suppressed (the smallest
// cell next to it first), as the library does within one table. Suppressing everything protects
// everything, so the loop ends.
import {
  describeEntry, entryAt, entryIndex, publishedInterval, resolveDisclosureConfig, roundToBase,
  type CountTable, type DisclosureConfig, type DisclosureResult, type EntryRef, type FeasibleRange, type Interval,
  type PublishedTable, type ResolvedDisclosureConfig, type SuppressedEntry,
  NetworkAttacker,
} from '#libs/disclosure';

export interface EntryKey { readonly table: string; readonly entry: EntryRef }
// An arc of the linked network: the published entries that ARE this figure (one, or several tables'
// copies of a shared margin), or none for a balancing arc whose true value is given.
export interface LinkedArc { readonly u: number; readonly v: number; readonly entries: readonly EntryKey[]; readonly value?: number }
export interface LinkedModel { readonly nodeCount: number; readonly arcs: readonly LinkedArc[] }
export interface LinkedTable { readonly id: string; readonly count: CountTable; readonly result: DisclosureResult }

export interface JointTableResult {
  readonly table: PublishedTable;
  readonly suppressed: SuppressedEntry[];
  readonly allProtected: boolean;
  readonly notes: string[];
}

type State = 'published' | 'primary' | 'secondary' | 'structural';
interface Slot { state: State; truth: number; shown: number; isCell: boolean; arc: number }

export function protectJointly(tables: readonly LinkedTable[], model: LinkedModel, config?: DisclosureConfig): Map<string, JointTableResult> {
  const cfg = resolveDisclosureConfig(config);
  const slots = new Map<string, Slot[]>();
  const shape = new Map(tables.map((t) => [t.id, { R: t.count.rowLabels.length, C: t.count.columnLabels.length }]));
  for (const t of tables) slots.set(t.id, initialSlots(t, cfg));
  const slot = (k: EntryKey): Slot => {
    const s = shape.get(k.table);
    if (!s) throw new RangeError(`unknown table ${k.table}`);
    return slots.get(k.table)![entryIndex(k.entry, s.R, s.C)]!;
  };
  model.arcs.forEach((a, i) => a.entries.forEach((k) => {
    if (slot(k).arc !== -1) throw new RangeError(`${k.table} ${JSON.stringify(k.entry)} is on two arcs`);
    slot(k).arc = i;
  }));
  for (const [id, list] of slots) if (list.some((s) => s.arc === -1)) throw new RangeError(`table ${id} has entries on no arc`);
  const notes = new Map(tables.map((t) => [t.id, [...t.result.notes]]));
  const arcSlots = model.arcs.map((a) => a.entries.map(slot));
  const truth = model.arcs.map((a, i) => {
    const values = new Set(arcSlots[i]!.map((s) => s.truth));
    if (values.size > 1) throw new RangeError(`arc ${i} links entries with different values`);
    const v = a.entries.length > 0 ? arcSlots[i]![0]!.truth : a.value;
    if (v === undefined) throw new RangeError(`balancing arc ${i} needs its value`);
    return v;
  });
  const suppressedArc = (i: number) => arcSlots[i]!.some((s) => s.state === 'primary' || s.state === 'secondary');
  const publishedArc = (i: number) => arcSlots[i]!.length > 0 && arcSlots[i]!.every((s) => s.state === 'published');
  const hide = (i: number, why: string) => {
    for (const [j, s] of arcSlots[i]!.entries()) {
      if (s.state !== 'published') continue;
      s.state = 'secondary';
      const k = model.arcs[i]!.entries[j]!;
      notes.get(k.table)!.push(`${label(tables, k)} suppressed (secondary, linked tables): ${why}`);
    }
  };
  // (1) A shared figure is hidden everywhere or nowhere.
  model.arcs.forEach((a, i) => {
    if (suppressedArc(i) && arcSlots[i]!.some((s) => s.state === 'published')) hide(i, 'the same figure is suppressed in a linked table');
  });
  // (2) The exact attacker on all tables at once.
  const interval = (i: number, extra = -1): Interval => {
    const list = arcSlots[i]!;
    if (list.length === 0 || i === extra) return { lo: 0, hi: Infinity };
    if (list.every((s) => s.state === 'structural')) return { lo: 0, hi: 0 };
    if (suppressedArc(i)) return { lo: 0, hi: Infinity };
    // Every copy shows the same figure, so one copy's interval is the reader's knowledge.
    const s = list[0]!;
    return publishedInterval(s.shown, cfg, s.isCell || cfg.suppressSmallTotals);
  };
  const attacker = (extra = -1) =>
    new NetworkAttacker(model.nodeCount, model.arcs.map((a, i) => ({ u: a.u, v: a.v, interval: interval(i, extra) })), truth);
  const primary = (i: number) => arcSlots[i]!.some((s) => s.state === 'primary');
  const ok = (i: number, r: FeasibleRange) => isProtected(r, primary(i), cfg);
  if (cfg.secondary) {
    for (;;) {
      const a = attacker();
      const failing = model.arcs.findIndex((_, i) => suppressedArc(i) && !ok(i, a.range(i)));
      if (failing === -1) break;
      const before = a.range(failing);
      const adjacent = (i: number) => {
        const x = model.arcs[i]!;
        const f = model.arcs[failing]!;
        return x.u === f.u || x.u === f.v || x.v === f.u || x.v === f.v;
      };
      const bySize = (list: number[]) => list.sort((x, y) => truth[x]! - truth[y]! || x - y);
      const candidates = model.arcs.map((_, i) => i).filter(publishedArc);
      const cells = candidates.filter((i) => arcSlots[i]!.some((s) => s.isCell));
      const tiers = [
        bySize(cells.filter(adjacent)),
        bySize(cells.filter((i) => !adjacent(i))),
        [...bySize(candidates.filter((i) => !cells.includes(i) && adjacent(i))), ...bySize(candidates.filter((i) => !cells.includes(i) && !adjacent(i)))],
      ];
      let pick: number | undefined;
      for (const tier of tiers) {
        let widening: number | undefined;
        for (const i of tier) {
          const after = attacker(i).range(failing);
          if (ok(failing, after)) { pick = i; break; }
          if (widening === undefined && (after.min < before.min || after.max > before.max)) widening = i;
        }
        pick ??= widening;
        if (pick !== undefined) break;
      }
      pick ??= tiers.find((t) => t.length > 0)?.[0];
      if (pick === undefined) throw new Error('internal: a figure cannot be protected although everything is suppressed');
      hide(pick, `otherwise ${label(tables, model.arcs[failing]!.entries[0]!)} could be worked out across the linked tables`);
    }
  }
  const final = attacker();
  const ranges = model.arcs.map((_, i) => (suppressedArc(i) ? final.range(i) : undefined));
  return new Map(tables.map((t) => [t.id, tableResult(t, slots.get(t.id)!, ranges, primary, cfg, notes.get(t.id)!)]));
}

function initialSlots(t: LinkedTable, cfg: ResolvedDisclosureConfig): Slot[] {
  const R = t.count.rowLabels.length;
  const C = t.count.columnLabels.length;
  const truth = [...t.count.counts.flat(), ...t.count.rowTotals, ...t.count.columnTotals, t.count.grandTotal];
  const reasons = new Map(t.result.suppressed.map((s) => [entryIndex(s.entry, R, C), s.reason]));
  return truth.map((v, k) => ({
    state: reasons.get(k) ?? 'published',
    truth: v,
    shown: roundToBase(v, cfg.roundingBase),
    isCell: k < R * C,
    arc: -1,
  }));
}

function isProtected(r: FeasibleRange, primary: boolean, cfg: ResolvedDisclosureConfig): boolean {
  if (!(r.max - r.min >= cfg.protection.minimumWidth)) return false;
  if (primary && cfg.protection.requireNonSensitiveValue) return (r.min === 0 && !cfg.suppressZeros) || r.max >= cfg.threshold;
  return true;
}

function label(tables: readonly LinkedTable[], k: EntryKey): string {
  const t = tables.find((x) => x.id === k.table)!;
  return `${k.table}: ${describeEntry(k.entry, t.count)}`;
}

function tableResult(
  t: LinkedTable, slots: Slot[], ranges: (FeasibleRange | undefined)[], primary: (i: number) => boolean,
  cfg: ResolvedDisclosureConfig, notes: string[],
): JointTableResult {
  const R = t.count.rowLabels.length;
  const C = t.count.columnLabels.length;
  const text = (s: Slot) => (s.state === 'structural' ? '' : s.state === 'published' ? String(s.shown) : '*');
  const suppressed: SuppressedEntry[] = [];
  let allProtected = true;
  slots.forEach((s, k) => {
    if (s.state === 'published') return;
    const entry = entryAt(k, R, C);
    const name = describeEntry(entry, t.count);
    if (s.state === 'structural') {
      suppressed.push({ entry, label: name, reason: 'structural' });
      return;
    }
    const range = ranges[s.arc]!;
    const safe = isProtected(range, primary(s.arc), cfg);
    allProtected &&= safe;
    suppressed.push({ entry, label: name, reason: s.state, range, protected: safe });
  });
  const at = (k: number) => text(slots[k]!);
  const idx = (n: number) => Array.from({ length: n }, (_, i) => i);
  return {
    table: {
      rowLabels: [...t.count.rowLabels],
      columnLabels: [...t.count.columnLabels],
      cells: idx(R).map((r) => idx(C).map((c) => at(r * C + c))),
      rowTotals: idx(R).map((r) => at(R * C + r)),
      columnTotals: idx(C).map((c) => at(R * C + R + c)),
      grandTotal: at(R * C + R + C),
    },
    suppressed,
    allProtected,
    notes,
  };
}
