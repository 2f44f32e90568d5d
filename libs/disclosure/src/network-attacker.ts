// The exact attacker over a circulation network (see README): every published figure is an arc whose flow the
// reader knows only within an interval; the flows must balance at every node. A two-way table is the network
// S → row → column → T → S (TableAttacker); tables that share margins (a column total of one is a row total of
// another) form ONE network, so the reader's range for each entry is still exact (network matrix, totally
// unimodular, integer bounds): one feasible circulation, then two max-flows in its residual network per entry.
import { FlowNetwork, UNBOUNDED } from './max-flow.js';

/** The attacker's inclusive range for one entry. `max` is Infinity when nothing bounds it. */
export interface FeasibleRange {
  readonly min: number;
  readonly max: number;
}

/** Inclusive interval of values the reader considers possible before combining constraints. */
export interface Interval {
  readonly lo: number;
  /** Infinity for a suppressed entry. */
  readonly hi: number;
}

/** Thrown when the published values admit no table at all (an inconsistent publication). */
export class InconsistentTableError extends Error {
  constructor(message = 'the published values are inconsistent: no table of counts matches them') {
    super(message);
    this.name = 'InconsistentTableError';
  }
}

export interface NetworkArc {
  readonly u: number;
  readonly v: number;
  readonly interval: Interval; // what the reader knows of the flow on this arc; hi = Infinity if nothing
}

export class NetworkAttacker {
  private readonly arcs: { u: number; v: number; lo: number; hi: number }[];

  // start: a known feasible flow (the true counts always are one), checked before use.
  constructor(
    private readonly nodeCount: number,
    arcs: readonly NetworkArc[],
    private readonly flow: readonly number[],
  ) {
    this.arcs = arcs.map((a) => {
      if (
        !(a.interval.lo >= 0) ||
        !Number.isSafeInteger(a.interval.lo) ||
        !(a.interval.hi >= a.interval.lo)
      ) {
        throw new RangeError(`bad interval [${a.interval.lo}, ${a.interval.hi}]`);
      }
      return {
        u: a.u,
        v: a.v,
        lo: a.interval.lo,
        hi: a.interval.hi === Infinity ? UNBOUNDED : a.interval.hi,
      };
    });
    if (flow.length !== arcs.length) throw new RangeError('start flow does not match the arcs');
    const balance = new Array<number>(nodeCount).fill(0);
    this.arcs.forEach((a, k) => {
      const f = flow[k]!;
      if (f < a.lo || f > a.hi)
        throw new InconsistentTableError(
          `start value ${f} of arc ${k} is outside [${a.lo}, ${a.hi}]`,
        );
      balance[a.u]! -= f;
      balance[a.v]! += f;
    });
    if (balance.some((b) => b !== 0))
      throw new InconsistentTableError('start flow is not a circulation');
  }

  /** The reader's attacker: no true values, a feasible circulation found by max-flow with lower bounds. */
  static fromPublished(nodeCount: number, arcs: readonly NetworkArc[]): NetworkAttacker {
    const net = new FlowNetwork(nodeCount + 2);
    const SS = nodeCount;
    const TT = nodeCount + 1;
    const excess = new Array<number>(nodeCount).fill(0);
    const ids = arcs.map((a) => {
      const hi = a.interval.hi === Infinity ? UNBOUNDED : a.interval.hi;
      excess[a.v]! += a.interval.lo;
      excess[a.u]! -= a.interval.lo;
      return net.addArc(a.u, a.v, hi - a.interval.lo);
    });
    let need = 0;
    excess.forEach((x, node) => {
      if (x > 0) {
        net.addArc(SS, node, x);
        need += x;
      } else if (x < 0) net.addArc(node, TT, -x);
    });
    if (net.maxFlow(SS, TT) !== need) throw new InconsistentTableError();
    return new NetworkAttacker(
      nodeCount,
      arcs,
      arcs.map((a, k) => a.interval.lo + net.flowOn(ids[k]!)),
    );
  }

  /** Exact range of values the reader cannot rule out for the flow on arc `index`. */
  range(index: number): FeasibleRange {
    const e = this.arcs[index];
    if (!e) throw new RangeError(`no arc ${index}`);
    const fe = this.flow[index]!;
    if (e.lo === e.hi) return { min: e.lo, max: e.hi };
    const headroom = e.hi - fe;
    const up = headroom > 0 ? this.residual(index).maxFlow(e.v, e.u, headroom) : 0;
    const legroom = fe - e.lo;
    const down = legroom > 0 ? this.residual(index).maxFlow(e.u, e.v, legroom) : 0;
    const max = fe + up;
    return { min: fe - down, max: max >= UNBOUNDED / 2 ? Infinity : max };
  }

  private residual(skip: number): FlowNetwork {
    const net = new FlowNetwork(this.nodeCount);
    this.arcs.forEach((a, k) => {
      if (k === skip) return;
      const f = this.flow[k]!;
      if (a.hi - f > 0) net.addArc(a.u, a.v, a.hi - f);
      if (f - a.lo > 0) net.addArc(a.v, a.u, f - a.lo);
    });
    return net;
  }
}
