// Joint disclosure control for tables that share figures: a column total of one table that is the grand
// total of another could be differenced to recover a cell each table hides, so the linked tables are
// protected as ONE network (count-tables.ts, linkedModel).
// Optimal (default): each table's primary suppressions, then libs/disclosure's least-cost MIP
// (optimalSuppression) over the whole network at once, checked by the exact attacker.
// Greedy (configured, or the fallback when the MIP does not finish within the time limit): each table is
// protected on its own by the greedy method, then (1) a figure shared by several tables is suppressed in all
// of them if it is suppressed in any, and (2) while the exact attacker on the linked network can narrow a
// suppressed figure, one more figure is suppressed (the smallest cell next to it first). Suppressing
// everything protects everything, so the loop ends.
import {
  applyDisclosureControl,
  attributeSecondaries,
  describeEntry,
  entryAt,
  entryIndex,
  isProtectedRange,
  optimalSuppression,
  publishedInterval,
  resolveDisclosureConfig,
  roundToBase,
  STRUCTURAL_ZERO,
  SUPPRESSED,
  type CountTable,
  type DisclosureConfig,
  type DisclosureResult,
  type EntryRef,
  type FeasibleRange,
  type Interval,
  type ProtectionArc,
  type PublishedTable,
  type ResolvedDisclosureConfig,
  type SecondaryMethod,
  type SuppressedEntry,
  NetworkAttacker,
} from '#libs/disclosure';

export interface EntryKey {
  readonly table: string;
  readonly entry: EntryRef;
}
// An arc of the linked network: the published entries that ARE this figure (one, or several tables'
// copies of a shared margin), or none for a balancing arc whose true value is given.
// `keep`: a headline figure, suppressed only when nothing else can protect (the optimal method).
export interface LinkedArc {
  readonly u: number;
  readonly v: number;
  readonly entries: readonly EntryKey[];
  readonly value?: number;
  readonly keep?: boolean;
}
export interface LinkedModel {
  readonly nodeCount: number;
  readonly arcs: readonly LinkedArc[];
}
export interface LinkedTable {
  readonly id: string;
  readonly count: CountTable;
}

export interface JointTableResult {
  readonly table: PublishedTable;
  readonly suppressed: SuppressedEntry[];
  readonly allProtected: boolean;
  readonly notes: string[];
}

export interface JointProtection {
  readonly tables: Map<string, JointTableResult>;
  /** The method that chose the secondary suppressions ('greedy' also after a fallback). */
  readonly method: SecondaryMethod;
  /** Publication-level notes, e.g. the fallback to the greedy method. */
  readonly notes: string[];
  /** Which primary suppressions forced each secondary one: those that lose protection if it alone were shown. */
  readonly secondaryFor: { secondary: EntryKey; primaries: EntryKey[] }[];
  readonly millis: number;
}

type State = 'published' | 'primary' | 'secondary' | 'structural';
interface Slot {
  state: State;
  truth: number;
  shown: number;
  isCell: boolean;
  arc: number;
}

export function protectJointly(
  tables: readonly LinkedTable[],
  model: LinkedModel,
  config?: DisclosureConfig,
): JointProtection {
  const cfg = resolveDisclosureConfig(config);
  const started = performance.now();
  if (cfg.secondary && cfg.secondaryMethod === 'optimal') {
    const done = protect(tables, model, config, cfg, 'optimal');
    if (done) return { ...done, millis: performance.now() - started };
  }
  const done = protect(tables, model, config, cfg, 'greedy')!;
  const fallback =
    cfg.secondary && cfg.secondaryMethod === 'optimal'
      ? [
          `The least-cost secondary suppression did not finish within ${cfg.timeLimitSeconds} s, so the greedy method was used: the tables may hide more than needed.`,
        ]
      : [];
  return { ...done, notes: [...fallback, ...done.notes], millis: performance.now() - started };
}

function protect(
  tables: readonly LinkedTable[],
  model: LinkedModel,
  config: DisclosureConfig | undefined,
  cfg: ResolvedDisclosureConfig,
  method: SecondaryMethod,
): Omit<JointProtection, 'millis'> | null {
  // Optimal: primaries only here, the MIP chooses every secondary; greedy: each table's own pattern first.
  const perTable = {
    ...(config ?? { method: 'threshold' as const }),
    ...(method === 'optimal' ? { secondary: false } : { secondaryMethod: 'greedy' as const }),
  };
  const linked = tables.map((t) => ({ ...t, result: applyDisclosureControl(t.count, perTable) }));
  const slots = new Map<string, Slot[]>();
  const shape = new Map(
    tables.map((t) => [t.id, { R: t.count.rowLabels.length, C: t.count.columnLabels.length }]),
  );
  for (const t of linked) slots.set(t.id, initialSlots(t, cfg));
  const slot = (k: EntryKey): Slot => {
    const s = shape.get(k.table);
    if (!s) throw new RangeError(`unknown table ${k.table}`);
    return slots.get(k.table)![entryIndex(k.entry, s.R, s.C)]!;
  };
  model.arcs.forEach((a, i) =>
    a.entries.forEach((k) => {
      if (slot(k).arc !== -1)
        throw new RangeError(`${k.table} ${JSON.stringify(k.entry)} is on two arcs`);
      slot(k).arc = i;
    }),
  );
  for (const [id, list] of slots)
    if (list.some((s) => s.arc === -1)) throw new RangeError(`table ${id} has entries on no arc`);
  const notes = new Map(linked.map((t) => [t.id, method === 'greedy' ? [...t.result.notes] : []]));
  const arcSlots = model.arcs.map((a) => a.entries.map(slot));
  const truth = model.arcs.map((a, i) => {
    const values = new Set(arcSlots[i]!.map((s) => s.truth));
    if (values.size > 1) throw new RangeError(`arc ${i} links entries with different values`);
    const v = a.entries.length > 0 ? arcSlots[i]![0]!.truth : a.value;
    if (v === undefined) throw new RangeError(`balancing arc ${i} needs its value`);
    return v;
  });
  const suppressedArc = (i: number) =>
    arcSlots[i]!.some((s) => s.state === 'primary' || s.state === 'secondary');
  const publishedArc = (i: number) =>
    arcSlots[i]!.length > 0 && arcSlots[i]!.every((s) => s.state === 'published');
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
    if (suppressedArc(i) && arcSlots[i]!.some((s) => s.state === 'published'))
      hide(i, 'the same figure is suppressed in a linked table');
  });
  const primary = (i: number) => arcSlots[i]!.some((s) => s.state === 'primary');
  const publishedIv = (i: number): Interval => {
    // Every copy shows the same figure, so one copy's interval is the reader's knowledge.
    const s = arcSlots[i]![0]!;
    return publishedInterval(s.shown, cfg, s.isCell || cfg.suppressSmallTotals);
  };
  const protectionArcs = (): ProtectionArc[] =>
    model.arcs.map((a, i) => {
      const list = arcSlots[i]!;
      const role =
        list.length === 0
          ? 'free'
          : list.every((s) => s.state === 'structural')
            ? 'structural'
            : primary(i)
              ? 'primary'
              : 'published';
      return {
        u: a.u,
        v: a.v,
        value: truth[i]!,
        role,
        interval: role === 'published' ? publishedIv(i) : { lo: 0, hi: Infinity },
        cost: truth[i]!,
        keep: a.keep === true,
      };
    });
  const keyOf = (i: number) => model.arcs[i]!.entries[0]!;
  const pubNotes: string[] = [];
  if (method === 'optimal') {
    const found = optimalSuppression(model.nodeCount, protectionArcs(), cfg);
    if (!found) return null;
    if (found.keepRelaxed)
      pubNotes.push(
        'No pattern protected every small count while publishing all headline figures, so some headline figures are suppressed too.',
      );
    const arcs = protectionArcs();
    const forced = attributeSecondaries(model.nodeCount, arcs, found.hidden, cfg);
    found.hidden.forEach((h, i) => {
      if (!h || !publishedArc(i)) return;
      const by = forced.get(i) ?? [];
      hide(
        i,
        by.length > 0
          ? `needed to protect ${by.map((p) => label(tables, keyOf(p))).join(', ')}`
          : 'needed, with the other suppressions, so that none can be narrowed',
      );
    });
  } else if (cfg.secondary) {
    // (2) The exact attacker on all tables at once.
    const interval = (i: number, extra = -1): Interval => {
      const list = arcSlots[i]!;
      if (list.length === 0 || i === extra) return { lo: 0, hi: Infinity };
      if (list.every((s) => s.state === 'structural')) return { lo: 0, hi: 0 };
      if (suppressedArc(i)) return { lo: 0, hi: Infinity };
      return publishedIv(i);
    };
    const attacker = (extra = -1) =>
      new NetworkAttacker(
        model.nodeCount,
        model.arcs.map((a, i) => ({ u: a.u, v: a.v, interval: interval(i, extra) })),
        truth,
      );
    const ok = (i: number, r: FeasibleRange) => isProtectedRange(r, truth[i]!, primary(i), cfg);
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
        [
          ...bySize(candidates.filter((i) => !cells.includes(i) && adjacent(i))),
          ...bySize(candidates.filter((i) => !cells.includes(i) && !adjacent(i))),
        ],
      ];
      let pick: number | undefined;
      for (const tier of tiers) {
        let widening: number | undefined;
        for (const i of tier) {
          const after = attacker(i).range(failing);
          if (ok(failing, after)) {
            pick = i;
            break;
          }
          if (widening === undefined && (after.min < before.min || after.max > before.max))
            widening = i;
        }
        pick ??= widening;
        if (pick !== undefined) break;
      }
      pick ??= tiers.find((t) => t.length > 0)?.[0];
      if (pick === undefined)
        throw new Error('internal: a figure cannot be protected although everything is suppressed');
      hide(
        pick,
        `otherwise ${label(tables, keyOf(failing))} could be worked out across the linked tables`,
      );
    }
  }
  // The independent final check: the exact attacker on every suppressed figure of the linked network.
  const final = new NetworkAttacker(
    model.nodeCount,
    model.arcs.map((a, i) => ({
      u: a.u,
      v: a.v,
      interval:
        arcSlots[i]!.length === 0 || suppressedArc(i)
          ? { lo: 0, hi: Infinity }
          : arcSlots[i]!.every((s) => s.state === 'structural')
            ? { lo: 0, hi: 0 }
            : publishedIv(i),
    })),
    truth,
  );
  const ranges = model.arcs.map((_, i) => (suppressedArc(i) ? final.range(i) : undefined));
  const hidden = model.arcs.map((_, i) => arcSlots[i]!.length === 0 || suppressedArc(i));
  const secondaryFor = [
    ...attributeSecondaries(model.nodeCount, protectionArcs(), hidden, cfg),
  ].map(([s, ps]) => ({ secondary: keyOf(s), primaries: ps.map(keyOf) }));
  const tablesOut = new Map(
    linked.map((t) => [
      t.id,
      tableResult(t, slots.get(t.id)!, ranges, primary, truth, cfg, notes.get(t.id)!),
    ]),
  );
  return { tables: tablesOut, method, notes: pubNotes, secondaryFor };
}

function initialSlots(
  t: LinkedTable & { result: DisclosureResult },
  cfg: ResolvedDisclosureConfig,
): Slot[] {
  const R = t.count.rowLabels.length;
  const C = t.count.columnLabels.length;
  const truth = [
    ...t.count.counts.flat(),
    ...t.count.rowTotals,
    ...t.count.columnTotals,
    t.count.grandTotal,
  ];
  const reasons = new Map(t.result.suppressed.map((s) => [entryIndex(s.entry, R, C), s.reason]));
  return truth.map((v, k) => ({
    state: reasons.get(k) ?? 'published',
    truth: v,
    shown: roundToBase(v, cfg.roundingBase),
    isCell: k < R * C,
    arc: -1,
  }));
}

function label(tables: readonly LinkedTable[], k: EntryKey): string {
  const t = tables.find((x) => x.id === k.table)!;
  return `${k.table}: ${describeEntry(k.entry, t.count)}`;
}

function tableResult(
  t: LinkedTable,
  slots: Slot[],
  ranges: (FeasibleRange | undefined)[],
  primary: (i: number) => boolean,
  truth: readonly number[],
  cfg: ResolvedDisclosureConfig,
  notes: string[],
): JointTableResult {
  const R = t.count.rowLabels.length;
  const C = t.count.columnLabels.length;
  const text = (s: Slot) =>
    s.state === 'structural'
      ? STRUCTURAL_ZERO
      : s.state === 'published'
        ? String(s.shown)
        : SUPPRESSED;
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
    const safe = isProtectedRange(range, truth[s.arc]!, primary(s.arc), cfg);
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
