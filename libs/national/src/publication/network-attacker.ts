// The exact attacker of libs/disclosure (see its README), generalised from one two-way table to several
// tables that share margins. Published tables whose margins are the same figures (a column total of one
// is the row total or grand total of another) form ONE circulation network, so the reader's feasible
// range for each entry is still exact (network matrix, totally unimodular, integer bounds), computed the
// same way: one feasible circulation, then two max-flows in its residual network per entry.
import { FlowNetwork, InconsistentTableError, UNBOUNDED, type FeasibleRange, type Interval } from '#libs/disclosure';

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
      if (!(a.interval.lo >= 0) || !(a.interval.hi >= a.interval.lo)) throw new RangeError(`bad interval [${a.interval.lo}, ${a.interval.hi}]`);
      return { u: a.u, v: a.v, lo: a.interval.lo, hi: a.interval.hi === Infinity ? UNBOUNDED : a.interval.hi };
    });
    if (flow.length !== arcs.length) throw new RangeError('start flow does not match the arcs');
    const balance = new Array<number>(nodeCount).fill(0);
    this.arcs.forEach((a, k) => {
      const f = flow[k]!;
      if (f < a.lo || f > a.hi) throw new InconsistentTableError(`start value ${f} of arc ${k} is outside [${a.lo}, ${a.hi}]`);
      balance[a.u]! -= f;
      balance[a.v]! += f;
    });
    if (balance.some((b) => b !== 0)) throw new InconsistentTableError('start flow is not a circulation');
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
    return new NetworkAttacker(nodeCount, arcs, arcs.map((a, k) => a.interval.lo + net.flowOn(ids[k]!)));
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
