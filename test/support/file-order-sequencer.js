import Sequencer from '@jest/test-sequencer';

// TEST_FILE_SEED=<integer> (or `random`) runs the spec files in a shuffled order, printed so a failing order can
// be replayed. Each file has its own database (per-file-database.ts), so any order must pass. Jest's own
// --randomize shuffles the tests inside each file instead, which most e2e specs, written as stories, do not allow.
// Without it, jest's usual order (slowest and failed first).
function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export default class FileOrderSequencer extends (Sequencer.default ?? Sequencer) {
  sort(tests) {
    const wanted = process.env.TEST_FILE_SEED;
    if (!wanted) return super.sort(tests);
    const seed = wanted === 'random' ? Math.floor(Math.random() * 2 ** 31) : Number(wanted);
    if (!Number.isInteger(seed))
      throw new Error(`TEST_FILE_SEED must be an integer or random: ${wanted}`);
    const next = mulberry32(seed);
    // From the path order, so a seed gives the same order on every machine.
    const order = [...tests].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    process.stdout.write(`\n[tests] spec files in shuffled order, TEST_FILE_SEED=${seed}\n`);
    return order;
  }
}
