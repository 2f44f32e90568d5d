// Test support: an attacker written independently of the library's max-flow attacker.
//
// It reads the published strings itself, writes the reader's knowledge as a linear programme
// (cells add up to the totals, every entry within what its published string allows, everything
// ≥ 0) and, for each suppressed entry, minimises and maximises it with a dense two-phase simplex
// (Bland's rule). The optimal vertices are returned as witness tables so the tests can check, with a
// plain arithmetic checker, that two different integer tables are consistent with the publication.
//
// Why floating point is safe here: the constraint matrix is totally unimodular and every
// right-hand side is an integer, so each simplex tableau holds only small integers (entries in
// {−1, 0, 1} and integer basic values); no rounding ever happens. The witnesses are still checked.

export type Method = 'threshold' | 'ons-10-5';

export interface LpRange {
  readonly min: number;
  readonly max: number;
  /** Full tables (entries in the order cells row-major, row totals, column totals, grand total). */
  readonly witnessMin: readonly number[];
  /** null when max is unbounded */
  readonly witnessMax: readonly number[] | null;
}

export interface PublishedStrings {
  readonly cells: readonly (readonly string[])[];
  readonly rowTotals: readonly string[];
  readonly columnTotals: readonly string[];
  readonly grandTotal: string;
}

interface Knowledge {
  lo: number;
  hi: number; // Infinity when suppressed
}

/**
 * What the reader knows about one published string (independent re-implementation).
 * `smallSuppressed` is false for totals published without primary suppression.
 */
export function readerKnowledge(text: string, method: Method, smallSuppressed = true): Knowledge {
  // The shorthand is spelt out here rather than imported: this attacker shares no code with the library.
  if (text === '[z]') return { lo: 0, hi: 0 };
  if (text === '[c]') return { lo: 0, hi: Infinity };
  const p = Number.parseInt(text, 10);
  if (String(p) !== text || p < 0) throw new Error(`unreadable published value ${text}`);
  if (method === 'threshold') return { lo: p, hi: p };
  // ONS 10-5: p is a multiple of 5 obtained by rounding a true count; 1..9 would have been hidden.
  if (!smallSuppressed) return { lo: Math.max(0, p - 2), hi: p + 2 };
  if (p === 0) return { lo: 0, hi: 0 };
  return { lo: Math.max(10, p - 2), hi: p + 2 };
}

/** The reader's knowledge of every entry, in entry order. */
export function knowledgeOf(
  p: PublishedStrings,
  method: Method,
  smallTotalsSuppressed: boolean,
): Knowledge[] {
  const cells = p.cells.flat().length;
  return flatten(p).map((t, k) => readerKnowledge(t, method, k < cells || smallTotalsSuppressed));
}

export function flatten(p: PublishedStrings): string[] {
  return [...p.cells.flat(), ...p.rowTotals, ...p.columnTotals, p.grandTotal];
}

/** Plain check that a full table of entries is consistent with the publication. */
export function consistentWith(
  p: PublishedStrings,
  method: Method,
  values: readonly number[],
  smallTotalsSuppressed = true,
): boolean {
  const R = p.rowTotals.length;
  const C = p.columnTotals.length;
  const know = knowledgeOf(p, method, smallTotalsSuppressed);
  if (values.length !== know.length) return false;
  for (let k = 0; k < know.length; k++) {
    const v = values[k]!;
    const { lo, hi } = know[k]!;
    if (!Number.isInteger(v) || v < lo || v > hi) return false;
  }
  const cell = (r: number, c: number) => values[r * C + c]!;
  let grandFromRows = 0;
  for (let r = 0; r < R; r++) {
    let s = 0;
    for (let c = 0; c < C; c++) s += cell(r, c);
    if (s !== values[R * C + r]) return false;
    grandFromRows += s;
  }
  for (let c = 0; c < C; c++) {
    let s = 0;
    for (let r = 0; r < R; r++) s += cell(r, c);
    if (s !== values[R * C + R + c]) return false;
  }
  return grandFromRows === values[R * C + R + C];
}

const EPS = 1e-9;

class Tableau {
  constructor(
    public readonly rows: Float64Array[], // each: n coefficients + rhs
    public readonly basis: number[],
    public readonly n: number,
  ) {}

  pivot(r: number, c: number, obj: Float64Array): void {
    const pr = this.rows[r]!;
    const pv = pr[c]!;
    const nz: number[] = [];
    for (let j = 0; j <= this.n; j++) {
      pr[j]! /= pv;
      if (pr[j] !== 0) nz.push(j);
    }
    const eliminate = (row: Float64Array) => {
      const f = row[c]!;
      if (Math.abs(f) < EPS) return;
      for (const j of nz) row[j]! -= f * pr[j]!;
    };
    this.rows.forEach((row, i) => {
      if (i !== r) eliminate(row);
    });
    eliminate(obj);
    this.basis[r] = c;
  }

  /** Minimises cost·x over columns where allowed(j); returns false when unbounded. */
  minimise(
    cost: Float64Array,
    allowed: (j: number) => boolean,
  ): { bounded: boolean; obj: Float64Array } {
    // objective row: reduced costs in [0..n), −(objective value) in [n]
    const obj = new Float64Array(this.n + 1);
    obj.set(cost);
    this.rows.forEach((row, i) => {
      const cb = cost[this.basis[i]!]!;
      if (cb !== 0) for (let j = 0; j <= this.n; j++) obj[j]! -= cb * row[j]!;
    });
    for (;;) {
      let enter = -1;
      for (let j = 0; j < this.n; j++) {
        if (allowed(j) && obj[j]! < -EPS) {
          enter = j;
          break;
        }
      }
      if (enter === -1) return { bounded: true, obj };
      let leave = -1;
      let best = Infinity;
      this.rows.forEach((row, i) => {
        const a = row[enter]!;
        if (a > EPS) {
          const ratio = row[this.n]! / a;
          if (
            ratio < best - EPS ||
            (Math.abs(ratio - best) <= EPS && this.basis[i]! < this.basis[leave]!)
          ) {
            best = ratio;
            leave = i;
          }
        }
      });
      if (leave === -1) return { bounded: false, obj };
      this.pivot(leave, enter, obj);
    }
  }

  solution(): Float64Array {
    const x = new Float64Array(this.n);
    this.rows.forEach((row, i) => {
      x[this.basis[i]!] = row[this.n]!;
    });
    return x;
  }
}

/**
 * For every suppressed ("[c]") entry, the exact range of values consistent with the publication,
 * with witness tables. Throws if the publication is inconsistent.
 */
export function lpAttack(
  p: PublishedStrings,
  method: Method,
  smallTotalsSuppressed = true,
): Map<number, LpRange> {
  const R = p.rowTotals.length;
  const C = p.columnTotals.length;
  const texts = flatten(p);
  const E = texts.length;
  const know = knowledgeOf(p, method, smallTotalsSuppressed);
  // variables: y_k = x_k − lo_k for every entry with lo < hi, then slacks for finite upper bounds
  const varOf = new Array<number>(E).fill(-1);
  const fixedValue = know.map((k) => k.lo);
  let nv = 0;
  know.forEach((k, e) => {
    if (k.hi > k.lo) varOf[e] = nv++;
  });
  const bounded = know
    .map((k, e) => (varOf[e]! >= 0 && k.hi !== Infinity ? e : -1))
    .filter((e) => e >= 0);
  const nSlack = bounded.length;
  // equality constraints over entries: Σ members − total = 0
  const equations: { plus: number[]; minus: number[] }[] = [];
  for (let r = 0; r < R; r++)
    equations.push({ plus: range(C).map((c) => r * C + c), minus: [R * C + r] });
  for (let c = 0; c < C; c++)
    equations.push({ plus: range(R).map((r) => r * C + c), minus: [R * C + R + c] });
  equations.push({ plus: range(R).map((r) => R * C + r), minus: [E - 1] });
  equations.push({ plus: range(C).map((c) => R * C + R + c), minus: [E - 1] });
  const m = equations.length + nSlack;
  const nArt = m;
  const n = nv + nSlack + nArt;
  const rows: Float64Array[] = [];
  for (const eq of equations) {
    const row = new Float64Array(n + 1);
    let rhs = 0;
    for (const [list, sign] of [
      [eq.plus, 1],
      [eq.minus, -1],
    ] as const) {
      for (const e of list) {
        rhs -= sign * fixedValue[e]!;
        if (varOf[e]! >= 0) row[varOf[e]!]! += sign;
      }
    }
    row[n] = rhs;
    rows.push(row);
  }
  bounded.forEach((e, s) => {
    const row = new Float64Array(n + 1);
    row[varOf[e]!] = 1;
    row[nv + s] = 1;
    row[n] = know[e]!.hi - know[e]!.lo;
    rows.push(row);
  });
  rows.forEach((row, i) => {
    if (row[n]! < 0) for (let j = 0; j <= n; j++) row[j] = -row[j]!;
    row[nv + nSlack + i] = 1;
  });
  const tab = new Tableau(
    rows,
    range(m).map((i) => nv + nSlack + i),
    n,
  );
  const isArt = (j: number) => j >= nv + nSlack;
  // phase 1
  const phase1 = new Float64Array(n);
  for (let j = nv + nSlack; j < n; j++) phase1[j] = 1;
  const p1 = tab.minimise(phase1, () => true);
  if (-p1.obj[n]! > 1e-7) throw new Error('published table is inconsistent (phase 1 infeasible)');
  // drive zero-level artificials out of the basis, drop redundant rows
  for (let i = tab.rows.length - 1; i >= 0; i--) {
    if (!isArt(tab.basis[i]!)) continue;
    const row = tab.rows[i]!;
    let c = -1;
    for (let j = 0; j < nv + nSlack; j++) if (Math.abs(row[j]!) > EPS) c = j;
    if (c >= 0) tab.pivot(i, c, new Float64Array(n + 1));
    else {
      tab.rows.splice(i, 1);
      tab.basis.splice(i, 1);
    }
  }
  const allowed = (j: number) => !isArt(j);
  const entryValues = (x: Float64Array): number[] =>
    know.map((k, e) => {
      const v = varOf[e]! >= 0 ? k.lo + x[varOf[e]!]! : fixedValue[e]!;
      const r = Math.round(v);
      if (Math.abs(v - r) > 1e-6) throw new Error(`non-integral vertex ${v}`);
      return r;
    });
  const out = new Map<number, LpRange>();
  texts.forEach((t, e) => {
    if (t !== '[c]') return;
    const j = varOf[e]!;
    const cost = new Float64Array(n);
    cost[j] = 1;
    // Each optimisation starts from the previous optimal basis (any feasible basis will do).
    // An unbounded run leaves the tableau at a feasible basis too, so it can be reused.
    tab.minimise(cost, allowed);
    const witnessMin = entryValues(tab.solution());
    cost[j] = -1;
    const high = tab.minimise(cost, allowed);
    const witnessMax = high.bounded ? entryValues(tab.solution()) : null;
    out.set(e, {
      min: witnessMin[e]!,
      max: witnessMax ? witnessMax[e]! : Infinity,
      witnessMin,
      witnessMax,
    });
  });
  return out;
}

/**
 * Brute force for tiny tables (few cells): enumerates every table with cells in 0..cap, keeps
 * those consistent with the publication, and records each entry's min and max.
 */
export function bruteForceRanges(
  p: PublishedStrings,
  method: Method,
  cap: number,
): { min: number[]; max: number[]; solutions: number } {
  const R = p.rowTotals.length;
  const C = p.columnTotals.length;
  const know = knowledgeOf(p, method, true);
  const E = know.length;
  const min = new Array<number>(E).fill(Infinity);
  const max = new Array<number>(E).fill(-Infinity);
  let solutions = 0;
  const cells = new Array<number>(R * C).fill(0);
  const full = new Array<number>(E).fill(0);
  const visit = (k: number) => {
    if (k === R * C) {
      for (let i = 0; i < R * C; i++) full[i] = cells[i]!;
      let g = 0;
      for (let r = 0; r < R; r++) {
        let s = 0;
        for (let c = 0; c < C; c++) s += cells[r * C + c]!;
        full[R * C + r] = s;
        g += s;
      }
      for (let c = 0; c < C; c++) {
        let s = 0;
        for (let r = 0; r < R; r++) s += cells[r * C + c]!;
        full[R * C + R + c] = s;
      }
      full[E - 1] = g;
      for (let e = R * C; e < E; e++) if (full[e]! < know[e]!.lo || full[e]! > know[e]!.hi) return;
      solutions++;
      for (let e = 0; e < E; e++) {
        if (full[e]! < min[e]!) min[e] = full[e]!;
        if (full[e]! > max[e]!) max[e] = full[e]!;
      }
      return;
    }
    const lo = know[k]!.lo;
    const hi = Math.min(know[k]!.hi, cap, grandHi - runningSum);
    const r = Math.floor(k / C);
    const rowEnds = k % C === C - 1;
    for (let v = lo; v <= hi; v++) {
      cells[k] = v;
      if (rowEnds) {
        // prune: the row just completed must match what its total allows
        let s = 0;
        for (let c = 0; c < C; c++) s += cells[r * C + c]!;
        const t = know[R * C + r]!;
        if (s < t.lo || s > t.hi) continue;
      }
      runningSum += v;
      visit(k + 1);
      runningSum -= v;
    }
  };
  const grandHi = know[E - 1]!.hi; // Infinity when suppressed: cells are then capped one by one
  let runningSum = 0;
  visit(0);
  return { min, max, solutions };
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
