// Property tests (issue 6 acceptance): random tables, suppression, then an INDEPENDENT attacker
// (testing/lp-attacker.ts: its own parser of the published strings, a simplex LP, and a brute-force
// enumerator for tiny tables) tries to recover every suppressed entry.
import fc from 'fast-check';
import {
  applyDisclosureControl,
  createCountTable,
  type CountTable,
  type DisclosureConfig,
  type DisclosureResult,
  type SuppressedEntry,
} from './index.js';
import {
  bruteForceRanges,
  consistentWith,
  flatten,
  lpAttack,
  type Method,
} from './testing/lp-attacker.js';

// Counts skewed small (most below 10, some up to 30), with random structural zeros.
const count = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 0, max: 6 }) },
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 30 }) },
);

const tableArb = (maxRows: number, maxColumns: number, maxCount?: number) =>
  fc
    .record({
      rows: fc.integer({ min: 1, max: maxRows }),
      columns: fc.integer({ min: 1, max: maxColumns }),
    })
    .chain(({ rows, columns }) =>
      fc.array(
        fc.array(
          fc.record({
            value: maxCount === undefined ? count : fc.integer({ min: 0, max: maxCount }),
            impossible: fc.integer({ min: 0, max: 9 }).map((d) => d === 0), // ~10% structural zeros
          }),
          { minLength: columns, maxLength: columns },
        ),
        { minLength: rows, maxLength: rows },
      ),
    )
    .map((grid) =>
      createCountTable({
        rowLabels: grid.map((_, r) => `row ${r}`),
        columnLabels: grid[0]!.map((_, c) => `col ${c}`),
        counts: grid.map((line) => line.map((cell) => (cell.impossible ? 0 : cell.value))),
        structuralZeros: grid.flatMap((line, row) =>
          line.flatMap((cell, column) => (cell.impossible ? [{ row, column }] : [])),
        ),
      }),
    );

const smallTotals = fc.constantFrom(true, true, true, false);
const secondaryMethod = fc.constantFrom('optimal' as const, 'optimal' as const, 'greedy' as const);
const configArb: fc.Arbitrary<DisclosureConfig> = fc.oneof(
  fc.record({
    method: fc.constant('threshold' as const),
    threshold: fc.constantFrom(3, 5, 5, 5),
    suppressZeros: fc.boolean(),
    suppressSmallTotals: smallTotals,
    secondaryMethod,
  }),
  fc.record({
    method: fc.constant('ons-10-5' as const),
    suppressZeros: fc.boolean(),
    suppressSmallTotals: smallTotals,
    secondaryMethod,
  }),
);

const truthOf = (t: CountTable) => [
  ...t.counts.flat(),
  ...t.rowTotals,
  ...t.columnTotals,
  t.grandTotal,
];
const methodOf = (c: DisclosureConfig): Method => c.method;
const thresholdOf = (c: DisclosureConfig) => (c.method === 'ons-10-5' ? 10 : (c.threshold ?? 5));
const smallTotalsOf = (c: DisclosureConfig) => c.suppressSmallTotals ?? true;

/** Is a true count one the rule says must never be published? (test's own reading of the rule) */
const sensitive = (v: number, c: DisclosureConfig) =>
  v === 0 ? c.suppressZeros === true : v < thresholdOf(c);

/** Plain assertion: much cheaper than expect() inside thousands of property checks. */
function check(condition: boolean, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

/** Position of an entry in the flat order cells, row totals, column totals, grand total. */
function flatIndex(s: SuppressedEntry, rows: number, columns: number): number {
  const e = s.entry;
  if (e.kind === 'cell') return e.row * columns + e.column;
  if (e.kind === 'row-total') return rows * columns + e.row;
  if (e.kind === 'column-total') return rows * columns + rows + e.column;
  return rows * columns + rows + columns;
}

function checkNoSmallCountPublished(t: CountTable, c: DisclosureConfig, r: DisclosureResult): void {
  const truth = truthOf(t);
  const texts = flatten(r.table);
  const structuralCells = t.structural.flat();
  texts.forEach((text, k) => {
    if (k < structuralCells.length) {
      check(
        (text === '[z]') === structuralCells[k],
        `entry ${k}: structural zeros, and only they, are [z]`,
      );
    }
    if (text === '[z]' || text === '[c]') return;
    const shown = Number(text);
    const ruleApplies = k < structuralCells.length || smallTotalsOf(c);
    if (c.method === 'ons-10-5') {
      check(
        shown % 5 === 0 && Math.abs(shown - truth[k]!) <= 2,
        `entry ${k}: ${shown} is not ${truth[k]} rounded to 5`,
      );
      if (ruleApplies) {
        check(
          shown === 0 ? !c.suppressZeros && truth[k] === 0 : shown >= 10,
          `entry ${k}: ${shown} published`,
        );
      }
    } else {
      check(shown === truth[k], `entry ${k}: published ${shown}, true ${truth[k]}`);
    }
    if (ruleApplies)
      check(!sensitive(truth[k]!, c), `entry ${k}: small count ${truth[k]} published as ${text}`);
  });
}

function checkNothingRecoverable(t: CountTable, c: DisclosureConfig, r: DisclosureResult): void {
  const method = methodOf(c);
  const truth = truthOf(t);
  const smallTotals = smallTotalsOf(c);
  // the true table is one the reader must consider possible
  check(
    consistentWith(r.table, method, truth, smallTotals),
    'the true table contradicts the publication',
  );
  const lp = lpAttack(r.table, method, smallTotals);
  const hidden = r.suppressed.filter((s) => s.reason !== 'structural');
  check(
    hidden.length === lp.size,
    `${hidden.length} suppressed entries listed, ${lp.size} "*" published`,
  );
  for (const s of hidden) {
    const k = flatIndex(s, t.rowLabels.length, t.columnLabels.length);
    const range = lp.get(k);
    check(range !== undefined, `listed entry ${k} is not shown as "*"`);
    // (a) the reader cannot pin the value down: two witness tables, each checked to be consistent
    //     with the publication, disagree on this entry
    check(range.max > range.min, `entry ${k} (${s.reason}) is recoverable: ${range.min}`);
    check(
      consistentWith(r.table, method, range.witnessMin, smallTotals),
      `entry ${k}: bad min witness`,
    );
    check(range.witnessMin[k] === range.min, `entry ${k}: min witness does not attain the min`);
    if (range.witnessMax) {
      check(
        consistentWith(r.table, method, range.witnessMax, smallTotals),
        `entry ${k}: bad max witness`,
      );
      check(range.witnessMax[k] === range.max, `entry ${k}: max witness does not attain the max`);
    }
    check(
      range.min <= truth[k]! && truth[k]! <= range.max,
      `entry ${k}: the truth is outside the range`,
    );
    // … nor tell that a primary count is small: some non-sensitive value stays possible, and the range
    // covers the protection interval (default: the threshold on each side, floored at 0)
    if (s.reason === 'primary') {
      check(
        (range.min === 0 && !c.suppressZeros) || range.max >= thresholdOf(c),
        `entry ${k}: reader can tell the count is small (${range.min}..${range.max})`,
      );
      const t = thresholdOf(c);
      check(
        range.min <= Math.max(0, truth[k]! - t) && range.max >= truth[k]! + t,
        `entry ${k}: ${truth[k]} narrowed to ${range.min}..${range.max}, inside its protection interval ±${t}`,
      );
    }
    // the library's own (max-flow) attacker reports exactly the same range
    check(
      s.range?.min === range.min && s.range.max === range.max,
      `entry ${k}: library range ${JSON.stringify(s.range)}, LP ${range.min}..${range.max}`,
    );
    check(s.protected === true, `entry ${k}: not marked protected`);
  }
  check(r.metadata.allProtected, 'metadata.allProtected is false');
}

describe('disclosure control properties', () => {
  it('no suppressed entry is recoverable and no small count is published (threshold and ONS 10-5)', () => {
    fc.assert(
      fc.property(tableArb(8, 6), configArb, (t, c) => {
        const r = applyDisclosureControl(t, c);
        checkNoSmallCountPublished(t, c, r);
        checkNothingRecoverable(t, c, r);
      }),
      { numRuns: 200, seed: 20151 },
    );
  });

  it('the same holds on unseeded random tables', () => {
    fc.assert(
      fc.property(tableArb(6, 5), configArb, (t, c) => {
        const r = applyDisclosureControl(t, c);
        checkNoSmallCountPublished(t, c, r);
        checkNothingRecoverable(t, c, r);
      }),
      { numRuns: 100 },
    );
  });

  it('tiny tables: brute-force enumeration of every consistent table agrees with the reported ranges', () => {
    const CAP = 40; // above any total a tiny table here can have, so only "unbounded" hits the cap
    fc.assert(
      fc.property(
        tableArb(2, 2, 8),
        fc.constantFrom<DisclosureConfig>(
          { method: 'threshold' },
          { method: 'threshold', suppressZeros: true },
        ),
        (t, c) => {
          const r = applyDisclosureControl(t, c);
          const brute = bruteForceRanges(r.table, methodOf(c), CAP);
          check(brute.solutions > 0, 'no table at all matches the publication');
          const R = t.rowLabels.length;
          const C = t.columnLabels.length;
          for (const s of r.suppressed) {
            if (s.reason === 'structural') continue;
            const k = flatIndex(s, R, C);
            const { min, max } = s.range!;
            check(
              brute.min[k] === min,
              `entry ${k}: enumerated min ${brute.min[k]}, reported ${min}`,
            );
            check(
              max === Infinity ? brute.max[k]! >= CAP : brute.max[k] === max,
              `entry ${k}: enumerated max ${brute.max[k]}, reported ${max}`,
            );
            check(brute.max[k]! > brute.min[k]!, `entry ${k}: only one value possible`);
          }
          // every published figure is exactly what the enumeration considers fixed
          flatten(r.table).forEach((text, k) => {
            if (text !== '[c]')
              check(brute.min[k] === brute.max[k], `entry ${k}: published yet not fixed`);
          });
        },
      ),
      { numRuns: 150, seed: 7 },
    );
  });

  it('the optimal method never suppresses more, by its cost, than the greedy one on the same table', () => {
    const costOf = (t: CountTable, r: DisclosureResult, cost: 'value' | 'cells') => {
      const truth = truthOf(t);
      return r.suppressed
        .filter((s) => s.reason === 'secondary')
        .reduce(
          (sum, s) =>
            sum +
            (cost === 'cells'
              ? 1
              : truth[flatIndex(s, t.rowLabels.length, t.columnLabels.length)]!),
          0,
        );
    };
    fc.assert(
      fc.property(
        tableArb(7, 6),
        configArb,
        fc.constantFrom('value' as const, 'cells' as const),
        (t, c, cost) => {
          const optimal = applyDisclosureControl(t, { ...c, secondaryMethod: 'optimal', cost });
          const greedy = applyDisclosureControl(t, { ...c, secondaryMethod: 'greedy', cost });
          check(
            optimal.metadata.secondaryMethod === 'optimal',
            'the optimal method fell back to greedy',
          );
          check(
            costOf(t, optimal, cost) <= costOf(t, greedy, cost),
            `optimal cost ${costOf(t, optimal, cost)} > greedy ${costOf(t, greedy, cost)} (${cost})`,
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  it('is deterministic', () => {
    fc.assert(
      fc.property(tableArb(5, 4), configArb, (t, c) => {
        expect(applyDisclosureControl(t, c)).toEqual(applyDisclosureControl(t, c));
      }),
      { numRuns: 30 },
    );
  });
});
