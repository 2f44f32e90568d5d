import { bareBatches } from './bare-batches.js';

// A statement that runs until released, recording the items it was given.
function recorder() {
  const sent: number[][] = [];
  const open: (() => void)[] = [];
  const run = (items: number[]): Promise<number[]> => {
    sent.push(items);
    return new Promise((resolve) => open.push(() => resolve(items.map((i) => i * 10))));
  };
  const releaseAll = async () => {
    while (open.length > 0) {
      open.shift()!();
      await new Promise((r) => setImmediate(r));
    }
  };
  return { sent, open, run, releaseAll };
}

const flush = () => new Promise((r) => setImmediate(r));

describe('bareBatches (the bare-pg side of bench:api)', () => {
  it('sends what waits while a statement runs together, at most maxItems, each item its own result', async () => {
    const r = recorder();
    const b = bareBatches(r.run, 1, 3, undefined);
    const outs = [1, 2, 3, 4, 5].map((i) => b.write(i));
    await flush();
    expect(r.sent).toEqual([[1]]); // the first goes alone; the rest arrived while it ran
    await r.releaseAll();
    await r.releaseAll();
    expect(r.sent).toEqual([[1], [2, 3, 4], [5]]);
    expect(await Promise.all(outs)).toEqual([10, 20, 30, 40, 50]);
    expect(b.statements()).toBe(3);
  });

  it('replays the given sizes in turn, waiting until a statement is full', async () => {
    const r = recorder();
    const b = bareBatches(r.run, 2, 32, [2, 3]);
    const outs = [1, 2, 3, 4].map((i) => b.write(i));
    await flush();
    expect(r.sent).toEqual([[1, 2]]); // then 3 and 4 wait for a third: the next statement takes 3
    outs.push(b.write(5));
    await flush();
    expect(r.sent).toEqual([
      [1, 2],
      [3, 4, 5],
    ]);
    outs.push(b.write(6), b.write(7)); // in turn again: 2, but both slots are busy
    await flush();
    expect(r.sent).toHaveLength(2);
    await r.releaseAll();
    expect(r.sent.at(-1)).toEqual([6, 7]);
    await r.releaseAll();
    expect(await Promise.all(outs)).toEqual([10, 20, 30, 40, 50, 60, 70]);
  });

  it('sends a short statement once drained, and then batches as without sizes', async () => {
    const r = recorder();
    const b = bareBatches(r.run, 1, 32, [4]);
    const outs = [1, 2, 3].map((i) => b.write(i));
    await flush();
    expect(r.sent).toEqual([]);
    b.drain();
    await flush();
    expect(r.sent).toEqual([[1, 2, 3]]);
    outs.push(b.write(4));
    await r.releaseAll();
    expect(r.sent).toEqual([[1, 2, 3], [4]]);
    await r.releaseAll();
    expect(await Promise.all(outs)).toEqual([10, 20, 30, 40]);
  });

  it('rejects every item of a statement that fails, and goes on with the next', async () => {
    let calls = 0;
    const b = bareBatches(
      async (items: number[]) => {
        calls++;
        if (calls === 1) throw new Error('boom');
        return items;
      },
      1,
      32,
      undefined,
    );
    const first = b.write(1);
    const second = b.write(2);
    await expect(first).rejects.toThrow('boom');
    await expect(second).resolves.toBe(2);
  });
});
