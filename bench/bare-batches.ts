// The bare-pg side's batching (bench:api, bench:floor): items wait while inFlight statements run, then go
// together, as the app's StatementBatches sends them (libs/persistence statement-batches.ts). No imports, so that
// its spec runs without a database.
export interface BareBatches<I, O> {
  write: (item: I) => Promise<O>;
  statements: () => number; // statements sent so far
  drain: () => void; // stop replaying sizes: whatever waits goes now, as without sizes
}

// run(items) gives each item's result in the items' order. Without sizes a statement takes every item waiting (at
// most maxItems). Given sizes, statement n takes sizes[n % sizes.length] items and waits until that many are
// waiting: the transactions of a run of the app, replayed in turn, until drain() (clients that have stopped would
// otherwise leave the last statement short for ever).
export function bareBatches<I, O>(
  run: (items: I[]) => Promise<O[]>,
  inFlight: number,
  maxItems: number,
  sizes?: readonly number[],
): BareBatches<I, O> {
  type Waiter = { item: I; resolve: (out: O) => void; reject: (e: unknown) => void };
  const waiting: Waiter[] = [];
  let running = 0;
  let statements = 0;
  let replaying = sizes !== undefined && sizes.length > 0;
  const pump = (): void => {
    while (running < inFlight && waiting.length > 0) {
      const size = replaying ? sizes![statements % sizes!.length]! : maxItems;
      if (replaying && waiting.length < size) return;
      const batch = waiting.splice(0, size);
      running++;
      statements++;
      void (async () => {
        try {
          const out = await run(batch.map((w) => w.item));
          batch.forEach((w, i) => w.resolve(out[i]!));
        } catch (e) {
          batch.forEach((w) => w.reject(e));
        } finally {
          running--;
          pump();
        }
      })();
    }
  };
  return {
    write: (item) =>
      new Promise<O>((resolve, reject) => {
        waiting.push({ item, resolve, reject });
        pump();
      }),
    statements: () => statements,
    drain: () => {
      replaying = false;
      pump();
    },
  };
}
