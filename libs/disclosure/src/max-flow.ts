// A small Dinic max-flow on integer capacities, enough for tables of a few hundred cells.
// Capacities must be non-negative safe integers; callers use UNBOUNDED for "no upper limit".

/** Stand-in for +∞ capacity. Large enough to dwarf any real count, small enough to add safely. */
export const UNBOUNDED = 2 ** 40;

export class FlowNetwork {
  private readonly head: number[];
  private readonly to: number[] = [];
  private readonly cap: number[] = [];
  private readonly next: number[] = [];
  private level: Int32Array;
  private iter: Int32Array;

  constructor(readonly nodeCount: number) {
    this.head = new Array<number>(nodeCount).fill(-1);
    this.level = new Int32Array(nodeCount);
    this.iter = new Int32Array(nodeCount);
  }

  /** Adds arc u→v with the given capacity; returns its id (the reverse arc is id ^ 1). */
  addArc(u: number, v: number, capacity: number): number {
    const id = this.to.length;
    this.to.push(v, u);
    this.cap.push(capacity, 0);
    this.next.push(this.head[u]!, this.head[v]!);
    this.head[u] = id;
    this.head[v] = id + 1;
    return id;
  }

  /** Flow currently on arc id (capacity already used). */
  flowOn(id: number): number {
    return this.cap[id ^ 1]!;
  }

  /** Pushes up to `limit` units from s to t; returns the amount pushed. */
  maxFlow(s: number, t: number, limit: number = Number.MAX_SAFE_INTEGER): number {
    if (s === t) return 0;
    let total = 0;
    while (total < limit && this.bfs(s, t)) {
      this.iter.set(Int32Array.from(this.head));
      for (;;) {
        const pushed = this.dfs(s, t, limit - total);
        if (pushed === 0) break;
        total += pushed;
        if (total >= limit) break;
      }
    }
    return total;
  }

  /** Nodes reachable from s along arcs with spare capacity: after maxFlow(s, t), the source side of a minimum cut. */
  reachableFrom(s: number): boolean[] {
    const seen = new Array<boolean>(this.head.length).fill(false);
    seen[s] = true;
    const queue = [s];
    for (let qi = 0; qi < queue.length; qi++) {
      const u = queue[qi]!;
      for (let e = this.head[u]!; e !== -1; e = this.next[e]!) {
        const v = this.to[e]!;
        if (this.cap[e]! > 0 && !seen[v]) {
          seen[v] = true;
          queue.push(v);
        }
      }
    }
    return seen;
  }

  /** Nodes from which t is reachable along arcs with spare capacity: after maxFlow(s, t), the complement is
   *  the source side of the minimum cut closest to t. */
  reaching(t: number): boolean[] {
    const seen = new Array<boolean>(this.head.length).fill(false);
    seen[t] = true;
    const queue = [t];
    for (let qi = 0; qi < queue.length; qi++) {
      const v = queue[qi]!;
      // Arc e: u→v is stored with its reverse e^1: v→u; u reaches v when cap[e] > 0.
      for (let r = this.head[v]!; r !== -1; r = this.next[r]!) {
        const u = this.to[r]!;
        if (this.cap[r ^ 1]! > 0 && !seen[u]) {
          seen[u] = true;
          queue.push(u);
        }
      }
    }
    return seen;
  }

  private bfs(s: number, t: number): boolean {
    this.level.fill(-1);
    const queue = [s];
    this.level[s] = 0;
    for (let qi = 0; qi < queue.length; qi++) {
      const u = queue[qi]!;
      for (let e = this.head[u]!; e !== -1; e = this.next[e]!) {
        const v = this.to[e]!;
        if (this.cap[e]! > 0 && this.level[v] === -1) {
          this.level[v] = this.level[u]! + 1;
          queue.push(v);
        }
      }
    }
    return this.level[t] !== -1;
  }

  private dfs(u: number, t: number, want: number): number {
    if (u === t) return want;
    for (; this.iter[u] !== -1; this.iter[u] = this.next[this.iter[u]!]!) {
      const e = this.iter[u]!;
      const v = this.to[e]!;
      const c = this.cap[e]!;
      if (c > 0 && this.level[v] === this.level[u]! + 1) {
        const got = this.dfs(v, t, Math.min(want, c));
        if (got > 0) {
          this.cap[e] = c - got;
          this.cap[e ^ 1] = this.cap[e ^ 1]! + got;
          return got;
        }
      }
    }
    return 0;
  }
}
