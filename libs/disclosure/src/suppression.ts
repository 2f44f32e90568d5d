// Primary and secondary cell suppression (and ONS 10-5 rounding) for a published two-way table.
// See README.md for the rules, the attacker model and the choices made.

import {
  isProtectedRange,
  isSensitiveCount,
  publishedInterval,
  resolveDisclosureConfig,
  roundToBase,
  type DisclosureConfig,
  type DisclosureMethod,
  type ResolvedDisclosureConfig,
  type SecondaryMethod,
  type SuppressionCost,
} from './config.js';
import { attributeSecondaries, optimalSuppression, type ProtectionArc } from './optimal.js';
import {
  entryAt,
  STRUCTURAL_ZERO,
  SUPPRESSED,
  TableAttacker,
  type AttackerView,
  type FeasibleRange,
  type Interval,
  type PublishedTable,
} from './attacker.js';
import { describeEntry, validateCountTable, type CountTable, type EntryRef } from './table.js';

export type SuppressionReason = 'primary' | 'secondary' | 'structural';

export interface SuppressedEntry {
  readonly entry: EntryRef;
  /** e.g. `"13-15" × "female"`, `row total "13-15"` */
  readonly label: string;
  readonly reason: SuppressionReason;
  /** What the exact attacker can infer (absent for structural zeros, which are known to be 0). */
  readonly range?: FeasibleRange;
  /** Whether the range meets the protection rule (absent for structural zeros). */
  readonly protected?: boolean;
}

export interface DisclosureMetadata {
  readonly method: DisclosureMethod;
  readonly threshold: number;
  /** 1 when counts are published exactly, 5 under ONS 10-5. */
  readonly roundingBase: number;
  readonly suppressZeros: boolean;
  readonly suppressSmallTotals: boolean;
  readonly secondary: boolean;
  /** The method that chose the secondary suppressions: 'greedy' also when the optimal one ran out of time. */
  readonly secondaryMethod: SecondaryMethod;
  readonly cost: SuppressionCost;
  readonly protection: {
    readonly minimumWidth: number;
    readonly requireNonSensitiveValue: boolean;
    readonly lower: number;
    readonly upper: number;
  };
  readonly countingUnit?: string;
  /** True when every primary and secondary entry meets the protection rule. */
  readonly allProtected: boolean;
  /** Plain-English note to print under the table. */
  readonly methodologyNote: string;
}

export interface DisclosureResult {
  readonly table: PublishedTable;
  /** Every entry not shown as a number, in order: cells row by row, row totals, column totals, grand total. */
  readonly suppressed: readonly SuppressedEntry[];
  readonly metadata: DisclosureMetadata;
  /** Notable decisions, e.g. a total suppressed because cells alone could not protect the table. */
  readonly notes: readonly string[];
}

type State = 'published' | 'primary' | 'secondary' | 'structural';

interface Line {
  readonly total: number;
  readonly members: readonly number[];
}

/**
 * Applies disclosure control to a table: primary suppression of small counts, secondary suppression
 * until the exact attacker cannot pin down any suppressed entry, and ONS rounding where configured.
 */
export function applyDisclosureControl(
  table: CountTable,
  config?: DisclosureConfig,
): DisclosureResult {
  const resolved = resolveDisclosureConfig(config);
  const checked = validateCountTable(table);
  return new Suppressor(checked, resolved).run();
}

class Suppressor {
  private readonly R: number;
  private readonly C: number;
  private readonly n: number;
  private readonly truth: number[];
  private readonly shown: number[];
  private readonly shownInterval: Interval[];
  private readonly state: State[];
  private readonly lines: Line[] = [];
  private readonly notes: string[] = [];
  private methodUsed: SecondaryMethod;

  constructor(
    private readonly table: CountTable,
    private readonly config: ResolvedDisclosureConfig,
  ) {
    this.methodUsed = config.secondaryMethod;
    this.R = table.rowLabels.length;
    this.C = table.columnLabels.length;
    const { R, C } = this;
    this.n = R * C + R + C + 1;
    this.truth = [
      ...table.counts.flat(),
      ...table.rowTotals,
      ...table.columnTotals,
      table.grandTotal,
    ];
    const structural: boolean[] = [
      ...table.structural.flat(),
      ...table.structural.map((line) => line.every(Boolean)),
      ...table.columnLabels.map((_, c) => table.structural.every((line) => line[c])),
      table.structural.every((line) => line.every(Boolean)),
    ];
    this.shown = this.truth.map((v) => roundToBase(v, config.roundingBase));
    this.shownInterval = this.shown.map((p, k) =>
      publishedInterval(p, config, k < R * C || config.suppressSmallTotals),
    );
    this.state = this.truth.map((v, k) => {
      if (structural[k]) return 'structural';
      const isTotal = k >= R * C;
      if (isTotal && !config.suppressSmallTotals) return 'published';
      return isSensitiveCount(v, config) ? 'primary' : 'published';
    });
    const live = (ks: number[]) => ks.filter((k) => this.state[k] !== 'structural');
    for (let r = 0; r < R; r++) {
      this.lines.push({ total: R * C + r, members: live(range(C).map((c) => r * C + c)) });
    }
    for (let c = 0; c < C; c++) {
      this.lines.push({ total: R * C + R + c, members: live(range(R).map((r) => r * C + c)) });
    }
    const grand = this.n - 1;
    this.lines.push({ total: grand, members: live(range(R).map((r) => R * C + r)) });
    this.lines.push({ total: grand, members: live(range(C).map((c) => R * C + R + c)) });
  }

  run(): DisclosureResult {
    if (this.config.secondary) this.secondarySuppression();
    const attacker = this.attacker();
    const suppressed: SuppressedEntry[] = [];
    let allProtected = true;
    for (let k = 0; k < this.n; k++) {
      const s = this.state[k]!;
      if (s === 'published') continue;
      const entry = entryAt(k, this.R, this.C);
      const label = describeEntry(entry, this.table);
      if (s === 'structural') {
        suppressed.push({ entry, label, reason: 'structural' });
        continue;
      }
      const r = attacker.range(k);
      const ok = this.isProtected(k, r);
      allProtected &&= ok;
      suppressed.push({ entry, label, reason: s, range: r, protected: ok });
    }
    const text = (k: number): string => {
      const s = this.state[k]!;
      return s === 'structural'
        ? STRUCTURAL_ZERO
        : s === 'published'
          ? String(this.shown[k])
          : SUPPRESSED;
    };
    const { R, C } = this;
    const published: PublishedTable = {
      rowLabels: [...this.table.rowLabels],
      columnLabels: [...this.table.columnLabels],
      cells: range(R).map((r) => range(C).map((c) => text(r * C + c))),
      rowTotals: range(R).map((r) => text(R * C + r)),
      columnTotals: range(C).map((c) => text(R * C + R + c)),
      grandTotal: text(this.n - 1),
    };
    const {
      method,
      threshold,
      roundingBase,
      suppressZeros,
      suppressSmallTotals,
      secondary,
      protection,
      cost,
    } = this.config;
    return {
      table: published,
      suppressed,
      metadata: {
        method,
        threshold,
        roundingBase,
        suppressZeros,
        suppressSmallTotals,
        secondary,
        secondaryMethod: this.methodUsed,
        cost,
        protection: { ...protection },
        ...(this.table.countingUnit === undefined ? {} : { countingUnit: this.table.countingUnit }),
        allProtected,
        methodologyNote: methodologyNote(this.config, this.table.countingUnit),
      },
      notes: this.notes,
    };
  }

  // ---------------------------------------------------------------- secondary suppression

  private secondarySuppression(): void {
    if (this.config.secondaryMethod === 'optimal' && this.optimal()) return;
    for (;;) {
      this.enforceTwoPerLine();
      const attacker = this.attacker();
      const failing = range(this.n).find(
        (k) => this.isSuppressed(k) && !this.isProtected(k, attacker.range(k)),
      );
      if (failing === undefined) return;
      this.suppress(this.chooseFor(failing, attacker.range(failing)), failing);
    }
  }

  /** Least-cost secondary suppression (optimal.ts) over the table as a network; false when out of time. */
  private optimal(): boolean {
    const { R, C } = this;
    const S = 0;
    const T = R + C + 1;
    const ends = (k: number): [number, number] => {
      if (k < R * C) return [1 + Math.floor(k / C), 1 + R + (k % C)];
      if (k < R * C + R) return [S, 1 + (k - R * C)];
      if (k < this.n - 1) return [1 + R + (k - R * C - R), T];
      return [T, S];
    };
    const arcs: ProtectionArc[] = this.state.map((s, k) => {
      const [u, v] = ends(k);
      const role = s === 'structural' ? 'structural' : s === 'primary' ? 'primary' : 'published';
      return {
        u,
        v,
        value: this.truth[k]!,
        role,
        interval: this.shownInterval[k]!,
        cost: this.truth[k]!,
      };
    });
    const found = optimalSuppression(R + C + 2, arcs, this.config);
    if (!found) {
      this.methodUsed = 'greedy';
      this.notes.push(
        `The optimal secondary suppression did not finish within ${this.config.timeLimitSeconds} s, so the greedy method was used; it may hide more than needed.`,
      );
      return false;
    }
    found.hidden.forEach((h, k) => {
      if (h && this.state[k] === 'published') this.state[k] = 'secondary';
    });
    for (const [k, primaries] of attributeSecondaries(R + C + 2, arcs, found.hidden, this.config)) {
      if (k < R * C) continue;
      const why =
        primaries.length > 0
          ? primaries.map((p) => this.label(p)).join(', ')
          : 'the other suppressed figures';
      this.notes.push(
        `${this.label(k)} suppressed (secondary): cells alone could not protect ${why}`,
      );
    }
    return true;
  }

  /** Every line (row, column, or the margins) whose total is shown and that has a suppressed member
   *  gets a second suppressed member: the smallest shown one, else the line's total is suppressed. */
  private enforceTwoPerLine(): void {
    let changed = true;
    while (changed) {
      changed = false;
      for (const line of this.lines) {
        if (this.isSuppressed(line.total)) continue;
        const hidden = line.members.filter((k) => this.isSuppressed(k));
        if (hidden.length !== 1) continue;
        const candidates = this.bySize(line.members.filter((k) => this.state[k] === 'published'));
        const pick = candidates[0] ?? line.total;
        this.suppress(pick, hidden[0]!);
        changed = true;
      }
    }
  }

  /** Picks the next entry to suppress for an entry the attacker can still pin down. */
  private chooseFor(failing: number, before: FeasibleRange): number {
    const tiers = this.candidateTiers(failing);
    for (const tier of tiers) {
      let expanding: number | undefined;
      for (const k of tier) {
        const after = this.attacker([k]).range(failing);
        if (this.isProtected(failing, after)) return k;
        if (expanding === undefined && (after.min < before.min || after.max > before.max))
          expanding = k;
      }
      if (expanding !== undefined) return expanding;
    }
    // No single addition widens the range: add the smallest related entry and let the line rule
    // and later rounds build the pattern. Suppressing everything always protects, so this ends.
    const fallback = tiers.find((t) => t.length > 0)?.[0];
    if (fallback === undefined) {
      throw new Error(
        `internal: cannot protect ${this.label(failing)} although everything is suppressed`,
      );
    }
    return fallback;
  }

  /**
   * Candidates, in order of preference: (1) shown cells (and, for a total, sibling totals) in the
   * entry's own lines; (2) any shown cell; (3) shown totals, the entry's own lines first, grand total
   * last. Within a group, smallest published value first, ties by position.
   */
  private candidateTiers(failing: number): number[][] {
    const { R, C } = this;
    const shown = (ks: number[]) => ks.filter((k) => this.state[k] === 'published');
    const entry = entryAt(failing, R, C);
    const rowCells = (r: number) => range(C).map((c) => r * C + c);
    const colCells = (c: number) => range(R).map((r) => r * C + c);
    const rowTotals = range(R).map((r) => R * C + r);
    const colTotals = range(C).map((c) => R * C + R + c);
    const grand = this.n - 1;
    let related: number[];
    let ownTotals: number[];
    switch (entry.kind) {
      case 'cell':
        related = [...rowCells(entry.row), ...colCells(entry.column)];
        ownTotals = [R * C + entry.row, R * C + R + entry.column];
        break;
      case 'row-total':
        related = [...rowCells(entry.row), ...rowTotals];
        ownTotals = [];
        break;
      case 'column-total':
        related = [...colCells(entry.column), ...colTotals];
        ownTotals = [];
        break;
      case 'grand-total':
        related = [...rowTotals, ...colTotals];
        ownTotals = [];
        break;
    }
    const tier1 = this.bySize(shown(unique(related)));
    const tier2 = this.bySize(shown(range(R * C)).filter((k) => !tier1.includes(k)));
    const used = new Set([...tier1, ...tier2]);
    const own = this.bySize(shown(ownTotals).filter((k) => !used.has(k)));
    const others = this.bySize(
      shown([...rowTotals, ...colTotals]).filter((k) => !used.has(k) && !own.includes(k)),
    );
    const tier3 = [...own, ...others, ...shown([grand]).filter((k) => !used.has(k))];
    return [tier1, tier2, tier3];
  }

  // ---------------------------------------------------------------- helpers

  private attacker(extra: readonly number[] = []): TableAttacker {
    const hidden = new Set(extra);
    const iv = (k: number): Interval =>
      this.state[k] === 'structural'
        ? { lo: 0, hi: 0 }
        : this.isSuppressed(k) || hidden.has(k)
          ? { lo: 0, hi: Infinity }
          : this.shownInterval[k]!;
    const { R, C } = this;
    const view: AttackerView = {
      cells: range(R).map((r) => range(C).map((c) => iv(r * C + c))),
      rowTotals: range(R).map((r) => iv(R * C + r)),
      columnTotals: range(C).map((c) => iv(R * C + R + c)),
      grandTotal: iv(this.n - 1),
    };
    // The true counts satisfy everything the reader knows, so they are a valid starting solution.
    return new TableAttacker(view, this.truth);
  }

  private isSuppressed(k: number): boolean {
    const s = this.state[k];
    return s === 'primary' || s === 'secondary';
  }

  private isProtected(k: number, r: FeasibleRange): boolean {
    return isProtectedRange(r, this.truth[k]!, this.state[k] === 'primary', this.config);
  }

  /** Secondary-suppresses entry k, which is needed to protect entry `protects`. */
  private suppress(k: number, protects: number): void {
    if (this.state[k] !== 'published')
      throw new Error(`internal: ${this.label(k)} is not published`);
    this.state[k] = 'secondary';
    if (k >= this.R * this.C) {
      this.notes.push(
        `${this.label(k)} suppressed (secondary): cells alone could not protect ${this.label(protects)}`,
      );
    }
  }

  private bySize(ks: number[]): number[] {
    return [...ks].sort((a, b) => this.shown[a]! - this.shown[b]! || a - b);
  }

  private label(k: number): string {
    return describeEntry(entryAt(k, this.R, this.C), this.table);
  }
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

function unique(ks: number[]): number[] {
  return [...new Set(ks)];
}

/** The note printed with a published table, describing the disclosure control applied. */
export function methodologyNote(config: ResolvedDisclosureConfig, countingUnit?: string): string {
  const unit = countingUnit ?? 'counts';
  const zeros = config.suppressZeros ? 'zero and ' : '';
  const primary =
    config.method === 'ons-10-5'
      ? `Following the ONS 10-5 rule, ${zeros}counts below ${config.threshold} (${unit}) are shown as [c] and every other figure, totals included, is rounded to the nearest ${config.roundingBase}, so figures may not add up to the totals.`
      : config.threshold > 1
        ? `${config.suppressZeros ? 'Zero counts and counts' : 'Counts'} of 1 to ${config.threshold - 1} (${unit}) are shown as [c].`
        : `${config.suppressZeros ? 'Zero counts are shown as [c].' : 'No small counts are suppressed.'}`;
  const chosen =
    config.secondaryMethod === 'optimal' ? ', chosen at the least loss of information,' : '';
  const secondary = config.secondary
    ? ` Further figures (and, where needed, totals) are also shown as [c] (confidential)${chosen} so that no suppressed figure can be narrowed to within its protection interval.`
    : '';
  return `${primary}${secondary} [z]: not applicable, an impossible combination (structural zero).`;
}
