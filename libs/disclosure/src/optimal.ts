// Least-cost secondary suppression over a circulation network of published figures (one table, or several
// tables that share figures), solved as a mixed-integer programme with HiGHS by row generation, in the manner
// of Fischetti and Salazar's model for tabular data (see README, "Optimal secondary suppression").
//
// A figure i is an arc u→v carrying its true value a_i. With the true table as the reference circulation, the
// attacker can raise figure p by exactly the max-flow from v to u (and lower it by the max-flow from u to v)
// in the residual network without p, where a suppressed figure has residual capacity ∞ forward and a_i
// backward, and a published one its interval slack (0 when exact). By max-flow/min-cut, "p can move up by R"
// holds if and only if every cut separating v from u has residual capacity ≥ R: one linear inequality in the
// suppression variables x per cut. The MIP starts with none; each round, the cheapest pattern is checked by
// max-flow, and for every requirement it misses the minimum cut found is added. The model is exact, so the
// first pattern that meets every requirement is optimal; the exact attacker (NetworkAttacker) then checks it
// independently.
import { isProtectedRange, protectionNeed, type ResolvedDisclosureConfig } from './config.js';
import { highs, type HighsSolution } from './highs-solver.js';
import { FlowNetwork, UNBOUNDED } from './max-flow.js';
import { NetworkAttacker, type Interval } from './network-attacker.js';

/**
 * published: may be suppressed (a decision); primary: must be; structural: known 0; free: unknown to the
 * reader and never published (e.g. a balancing arc of a linked model), needing no protection.
 */
export type ArcRole = 'published' | 'primary' | 'structural' | 'free';

export interface ProtectionArc {
  readonly u: number;
  readonly v: number;
  /** The true value. */
  readonly value: number;
  readonly role: ArcRole;
  /** What a reader knows of the figure when it is published: [v, v] exact, or an ONS rounding interval. */
  readonly interval: Interval;
  /** Cost of suppressing it under the cost 'value' (published arcs only): a non-negative integer, normally its value. */
  readonly cost: number;
  /**
   * A headline figure to keep published (tau-ARGUS's "safe" status): never chosen as a secondary
   * suppression, unless no pattern can protect the primaries without it (then the result says so).
   */
  readonly keep?: boolean;
}

export interface OptimalSuppression {
  /** Per arc: hidden from the reader (primary, free or chosen as a secondary suppression). */
  readonly hidden: readonly boolean[];
  /** Sum of the costs of the secondary suppressions. */
  readonly cost: number;
  readonly rounds: number;
  readonly cuts: number;
  readonly millis: number;
  /** True when figures marked `keep` had to be allowed as suppressions because no pattern protected without. */
  readonly keepRelaxed: boolean;
}

class NoPatternError extends Error {}

/** What suppressing this figure costs under the configured cost: its `cost` (by default its value), or 1. */
export function suppressionCost(
  arc: Pick<ProtectionArc, 'cost'>,
  config: ResolvedDisclosureConfig,
): number {
  return config.cost === 'cells' ? 1 : arc.cost;
}

interface Requirement {
  readonly arc: number;
  readonly dir: 'up' | 'down';
  readonly amount: number;
  /** For a secondary's width: the continuous variable the cut must cover; absent for a fixed amount. */
  readonly slack?: string;
}

interface Cut {
  readonly coef: Map<number, number>;
  /** What the variable terms must reach: the requirement less the cut's fixed capacity. */
  readonly rhs: number;
  /** For a width cut: the slack variable it covers (Σ coef·x ≥ slack − constant) and the requirement. */
  readonly slack?: string;
  readonly amount: number;
}

/**
 * Chooses the secondary suppressions that protect every primary (and keep every suppressed figure at least
 * minimumWidth wide) at the least total cost. Returns null when the time limit is reached before a
 * protected pattern is proven; callers then fall back to the greedy method.
 */
export function optimalSuppression(
  nodeCount: number,
  arcs: readonly ProtectionArc[],
  config: ResolvedDisclosureConfig,
): OptimalSuppression | null {
  const started = performance.now();
  try {
    return solve(nodeCount, arcs, config, started, false);
  } catch (e) {
    if (!(e instanceof NoPatternError) || !arcs.some((a) => a.keep)) throw e;
    return solve(
      nodeCount,
      arcs.map((a) => ({ ...a, keep: false })),
      config,
      started,
      true,
    );
  }
}

function solve(
  nodeCount: number,
  arcs: readonly ProtectionArc[],
  config: ResolvedDisclosureConfig,
  started: number,
  keepRelaxed: boolean,
): OptimalSuppression | null {
  const deadline = started + config.timeLimitSeconds * 1000;
  const x = arcs.map((a) => a.role === 'primary' || a.role === 'free');
  const isVar = (i: number) => arcs[i]!.role === 'published' && !arcs[i]!.keep;
  const vars = arcs.flatMap((_, i) => (isVar(i) ? [i] : []));
  // Lexicographic objective: least cost first, then fewest figures (so free zeros are not hidden for nothing).
  const K = vars.length + 1;
  const weight = (i: number) => suppressionCost(arcs[i]!, config) * K + 1;

  const fixed: Requirement[] = [];
  arcs.forEach((a, i) => {
    if (a.role !== 'primary') return;
    const need = protectionNeed(a.value, true, config);
    if (need.up > 0) fixed.push({ arc: i, dir: 'up', amount: need.up });
    if (need.down > 0) fixed.push({ arc: i, dir: 'down', amount: need.down });
  });
  if (fixed.length === 0)
    return {
      hidden: x,
      cost: 0,
      rounds: 0,
      cuts: 0,
      millis: performance.now() - started,
      keepRelaxed,
    };
  const width = config.protection.minimumWidth;
  const widthVars = new Set<number>(); // secondaries whose width is modelled (added when first found exposed)
  const cuts: Cut[] = [];
  const seen = new Set<string>();
  let rounds = 0;
  const add = (
    req: Requirement,
    sourceSide: readonly boolean[],
    fractional?: ArrayLike<number>,
  ): number => {
    const cut = cutFor(arcs, req, sourceSide, isVar);
    if (!cut) return 0;
    if (
      fractional &&
      [...cut.coef].reduce((sum, [i, c]) => sum + c * fractional[i]!, 0) >= cut.rhs - 1e-6
    )
      return 0;
    const key = `${cut.slack ?? ''}|${cut.rhs}|${[...cut.coef]
      .sort((a, b) => a[0] - b[0])
      .map(([k, c]) => `${k}:${c}`)
      .join(',')}`;
    if (seen.has(key)) return 0;
    seen.add(key);
    cuts.push(cut);
    return 1;
  };

  // Phase 1: cutting planes on the LP relaxation (cheap LPs), so that the MIP rounds start with most of the
  // cuts they need. Any cut is valid; the relaxation only decides which ones to generate.
  let xf: Float64Array = Float64Array.from(x, (h) => (h ? 1 : 0));
  for (let lpRound = 0; lpRound < 200; lpRound++) {
    let added = 0;
    for (const req of fixed) {
      const f = fractionalFlow(nodeCount, arcs, xf, isVar, req);
      if (f.short) for (const side of f.sides) added += add(req, side, xf);
    }
    if (added === 0) break;
    const remaining = (deadline - performance.now()) / 1000;
    if (remaining <= 0) return null;
    const relaxed = solveMaster(vars, weight, cuts, new Set(), arcs, width, remaining, true);
    if (relaxed === null) return null;
    xf = Float64Array.from(x, (h, i) => (isVar(i) ? (relaxed.get(i) ?? 0) : h ? 1 : 0));
  }

  // Phase 2: the MIP with the cuts so far; each round adds the cuts its integer pattern violates, until the
  // pattern meets every requirement.
  for (let solve = cuts.length > 0; ; solve = true) {
    if (solve) {
      const remaining = (deadline - performance.now()) / 1000;
      if (remaining <= 0) return null;
      const chosen = solveMaster(vars, weight, cuts, widthVars, arcs, width, remaining, false);
      if (chosen === null) return null;
      for (const i of vars) x[i] = (chosen.get(i) ?? 0) > 0.5;
    }
    rounds++;
    let added = 0;
    for (const req of fixed) {
      const { flow, sides } = residualFlow(nodeCount, arcs, x, req.arc, req.dir, req.amount);
      if (flow < req.amount) for (const side of sides) added += add(req, side);
    }
    // A secondary must be at least `width` wide: up + down ≥ width, each side covered by its own cuts.
    for (const i of vars) {
      if (!x[i]) continue;
      const down = Math.min(width, arcs[i]!.value);
      const u = residualFlow(nodeCount, arcs, x, i, 'up', width);
      const d = residualFlow(nodeCount, arcs, x, i, 'down', down);
      if (u.flow + d.flow >= width) continue;
      widthVars.add(i);
      for (const side of u.sides)
        added += add({ arc: i, dir: 'up', amount: width, slack: `su${i}` }, side);
      if (down > 0)
        for (const side of d.sides)
          added += add({ arc: i, dir: 'down', amount: down, slack: `sd${i}` }, side);
    }
    if (added === 0) break;
  }

  // The independent check: the exact attacker on the chosen pattern.
  const attacker = new NetworkAttacker(
    nodeCount,
    arcs.map((a, i) => ({ u: a.u, v: a.v, interval: readerInterval(a, x[i]!) })),
    arcs.map((a) => a.value),
  );
  arcs.forEach((a, i) => {
    if (!x[i] || a.role === 'free') return;
    if (!isProtectedRange(attacker.range(i), a.value, a.role === 'primary', config)) {
      throw new Error(`internal: optimal suppression left arc ${i} unprotected`);
    }
  });
  const cost = vars.reduce((s, i) => s + (x[i] ? suppressionCost(arcs[i]!, config) : 0), 0);
  return {
    hidden: x,
    cost,
    rounds,
    cuts: cuts.length,
    millis: performance.now() - started,
    keepRelaxed,
  };
}

/** What the reader knows of an arc under a suppression pattern. */
export function readerInterval(a: ProtectionArc, hidden: boolean): Interval {
  if (a.role === 'structural') return { lo: 0, hi: 0 };
  return hidden ? { lo: 0, hi: Infinity } : a.interval;
}

/**
 * For each secondary suppression, the primaries that would lose protection if it alone were published
 * (the "which primary forced which secondary" report). A secondary needed by none on its own is needed
 * only jointly with others (or keeps another secondary from being worked out): its list is empty.
 */
export function attributeSecondaries(
  nodeCount: number,
  arcs: readonly ProtectionArc[],
  hidden: readonly boolean[],
  config: ResolvedDisclosureConfig,
): Map<number, number[]> {
  const out = new Map<number, number[]>();
  const primaries = arcs.flatMap((a, i) => (a.role === 'primary' ? [i] : []));
  arcs.forEach((a, s) => {
    if (a.role !== 'published' || !hidden[s]) return;
    const without = hidden.map((h, i) => (i === s ? false : h));
    out.set(
      s,
      primaries.filter((p) => {
        const need = protectionNeed(arcs[p]!.value, true, config);
        return (
          residualFlow(nodeCount, arcs, without, p, 'up', need.up).flow < need.up ||
          Math.min(
            arcs[p]!.value,
            residualFlow(nodeCount, arcs, without, p, 'down', need.down).flow,
          ) < need.down
        );
      }),
    );
  });
  return out;
}

// Max-flow (up to `limit`) by which arc p can move in direction dir under the pattern, and the source side of
// a minimum cut when it falls short.
function residualFlow(
  nodeCount: number,
  arcs: readonly ProtectionArc[],
  hidden: readonly boolean[],
  p: number,
  dir: 'up' | 'down',
  limit: number,
): { flow: number; sides: boolean[][] } {
  const net = new FlowNetwork(nodeCount);
  arcs.forEach((a, i) => {
    if (i === p || a.role === 'structural') return;
    const { fwd, back } = residual(a, hidden[i]!);
    if (fwd > 0) net.addArc(a.u, a.v, fwd);
    if (back > 0) net.addArc(a.v, a.u, back);
  });
  const e = arcs[p]!;
  const [s, t] = dir === 'up' ? [e.v, e.u] : [e.u, e.v];
  const flow = limit > 0 ? net.maxFlow(s, t, limit) : 0;
  return { flow, sides: flow < limit ? minCuts(net, s, t) : [] };
}

// The two extreme minimum cuts after a max-flow: the source side nearest s, and the one nearest t.
function minCuts(net: FlowNetwork, s: number, t: number): boolean[][] {
  const near = net.reachableFrom(s);
  const far = net.reaching(t).map((r) => !r);
  return near.every((v, k) => v === far[k]) ? [near] : [near, far];
}

const SCALE = 1000;

// The same max-flow for a fractional pattern (the LP relaxation): capacities as the cut inequalities read
// them (gains capped at the requirement), scaled to integers. `short` when the pattern misses the requirement.
function fractionalFlow(
  nodeCount: number,
  arcs: readonly ProtectionArc[],
  xf: ArrayLike<number>,
  isVar: (i: number) => boolean,
  req: Requirement,
): { short: boolean; sides: boolean[][] } {
  const net = new FlowNetwork(nodeCount);
  const R = req.amount;
  arcs.forEach((a, i) => {
    if (i === req.arc || a.role === 'structural') return;
    let fwd: number;
    let back: number;
    if (isVar(i)) {
      const open = residual(a, false);
      const shut = residual(a, true);
      fwd = open.fwd + Math.min(shut.fwd - open.fwd, R) * xf[i]!;
      back = open.back + Math.min(shut.back - open.back, R) * xf[i]!;
    } else {
      ({ fwd, back } = residual(a, a.role === 'primary' || a.role === 'free'));
    }
    const f = Math.floor(Math.min(fwd, R) * SCALE + 1e-6);
    const b = Math.floor(Math.min(back, R) * SCALE + 1e-6);
    if (f > 0) net.addArc(a.u, a.v, f);
    if (b > 0) net.addArc(a.v, a.u, b);
  });
  const e = arcs[req.arc]!;
  const [s, t] = req.dir === 'up' ? [e.v, e.u] : [e.u, e.v];
  const flow = net.maxFlow(s, t, R * SCALE);
  return flow < R * SCALE - 1
    ? { short: true, sides: minCuts(net, s, t) }
    : { short: false, sides: [] };
}

function residual(a: ProtectionArc, hidden: boolean): { fwd: number; back: number } {
  if (hidden) return { fwd: UNBOUNDED, back: a.value };
  return {
    fwd: a.interval.hi === Infinity ? UNBOUNDED : a.interval.hi - a.value,
    back: a.value - a.interval.lo,
  };
}

// The cut inequality for a requirement the pattern misses: Σ (capacity of the cut's arcs as a function of x)
// ≥ amount, with coefficients capped at what is still needed (valid for binary x).
function cutFor(
  arcs: readonly ProtectionArc[],
  req: Requirement,
  W: readonly boolean[],
  isVar: (i: number) => boolean,
): Cut | null {
  let constant = 0;
  const raw = new Map<number, number>();
  for (let i = 0; i < arcs.length; i++) {
    const a = arcs[i]!;
    if (i === req.arc || a.role === 'structural') continue;
    const out = W[a.u] && !W[a.v];
    const inward = W[a.v] && !W[a.u];
    if (!out && !inward) continue;
    if (isVar(i)) {
      const open = residual(a, false);
      const shut = residual(a, true);
      const base = out ? open.fwd : open.back;
      const gain = (out ? shut.fwd : shut.back) - base;
      constant += base;
      if (gain > 0) raw.set(i, gain);
    } else {
      const fixedHidden = a.role === 'primary' || a.role === 'free';
      const cap = residual(a, fixedHidden);
      constant += out ? cap.fwd : cap.back;
    }
  }
  const rhs = req.amount - constant;
  if (rhs <= 0) return null;
  const coef = new Map<number, number>();
  for (const [i, g] of raw) coef.set(i, Math.min(g, rhs));
  if (req.slack === undefined && coef.size === 0)
    throw new NoPatternError(
      `arc ${req.arc} cannot be protected by the figures that may be suppressed`,
    );
  return {
    coef,
    rhs,
    amount: req.amount,
    ...(req.slack === undefined ? {} : { slack: req.slack }),
  };
}

function solveMaster(
  vars: readonly number[],
  weight: (i: number) => number,
  cuts: readonly Cut[],
  widthVars: ReadonlySet<number>,
  arcs: readonly ProtectionArc[],
  width: number,
  seconds: number,
  relax: boolean,
): Map<number, number> | null {
  const lines: string[] = [
    'Minimize',
    ` obj: ${vars.map((i) => `${weight(i)} x${i}`).join(' + ')}`,
    'Subject To',
  ];
  cuts.forEach((c, k) => {
    const terms = [...c.coef].map(([i, v]) => `+ ${v} x${i}`).join(' ');
    // A width cut covers its slack variable: Σ coef·x + constant ≥ s, i.e. Σ coef·x − s ≥ −constant = rhs − amount.
    if (c.slack !== undefined) lines.push(` c${k}: ${terms} - ${c.slack} >= ${c.rhs - c.amount}`);
    else lines.push(` c${k}: ${terms} >= ${c.rhs}`);
  });
  for (const i of widthVars) {
    const down = arcs[i]!.value > 0 ? ` + sd${i}` : '';
    lines.push(` w${i}: su${i}${down} - ${width} x${i} >= 0`);
  }
  lines.push('Bounds');
  for (const i of widthVars) {
    lines.push(` 0 <= su${i} <= ${width}`);
    if (arcs[i]!.value > 0) lines.push(` 0 <= sd${i} <= ${Math.min(width, arcs[i]!.value)}`);
  }
  if (relax) for (const i of vars) lines.push(` 0 <= x${i} <= 1`);
  else lines.push('Binaries', ` ${vars.map((i) => `x${i}`).join(' ')}`);
  lines.push('End');
  const options = {
    output_flag: false,
    time_limit: seconds,
    mip_rel_gap: 0,
    mip_abs_gap: 0.5,
  } as Parameters<typeof highs.solve>[1];
  const result: HighsSolution = highs.solve(lines.join('\n'), options);
  if (result.Status === 'Infeasible')
    throw new NoPatternError('no suppression pattern protects every primary');
  if (result.Status !== 'Optimal' && result.Status !== 'Time limit reached') {
    throw new Error(`internal: the suppression MIP ended with status ${result.Status}`);
  }
  if (result.Status === 'Time limit reached') return null;
  const values = new Map<number, number>();
  for (const i of vars) {
    const col = result.Columns[`x${i}`] as { Primal?: number } | undefined;
    values.set(i, col?.Primal ?? 0);
  }
  return values;
}
