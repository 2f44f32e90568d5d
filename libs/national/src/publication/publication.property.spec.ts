// Property test (issue 6 acceptance), at the national level: random force returns → the published
// national tables → (1) no published count below the threshold, (2) no suppressed figure recoverable,
// checked table by table with libs/disclosure's attacker AND across the linked tables with an attacker
// that sees only the published strings, (3) region figures reveal nothing beyond the force table.
import fc from 'fast-check';
import { Catalogue } from '#libs/catalogue';
import {
  attackPublishedTable,
  resolveDisclosureConfig,
  type DisclosureConfig,
} from '#libs/disclosure';
import {
  fakeForces,
  fakeOffenceAges,
  publishedReader,
  publishedText,
  trueCount,
  type FakeRow,
  type LinkedEntry,
} from '#libs/national/testing';
import { buildCoverage } from '../coverage.js';
import { nationalPeriod } from '../period.js';
import { buildPublication } from './build-publication.js';
import { buildCountTables, linkedModel } from './count-tables.js';
import type { PublishedTableEntry } from './publication.types.js';

const catalogue = new Catalogue();
const Y = nationalPeriod(2020);
const FORCES = [
  'avon-and-somerset',
  'devon-and-cornwall',
  'dorset',
  'gloucestershire',
  'kent',
  'surrey',
  'dyfed-powys',
];
// Child sexual offences with ages their codes allow, small counts, and other crimes.
const childRow = fc
  .oneof(
    fc.record({ code: fc.constant('88A'), age: fc.integer({ min: 0, max: 15 }) }),
    fc.record({ code: fc.constant('19E'), age: fc.integer({ min: 0, max: 12 }) }),
    fc.record({ code: fc.constant('19C'), age: fc.integer({ min: 16, max: 17 }) }),
    fc.record({ code: fc.constant('71'), age: fc.integer({ min: 0, max: 17 }) }),
    fc.record({ code: fc.constant('21'), age: fc.constantFrom<number | null>(null, 5, 12) }),
  )
  .chain((r) =>
    fc.record({
      code: fc.constant(r.code),
      age: fc.constant(r.age),
      sex: fc.constantFrom('female' as const, 'male' as const, 'unknown' as const),
      n: fc.integer({ min: 1, max: 12 }),
    }),
  );
const forceRows = fc
  .tuple(
    fc.array(childRow, { maxLength: 5 }),
    fc.integer({ min: 0, max: 25 }),
    fc.integer({ min: 0, max: 40 }),
  )
  .map(([child, online, offline]): FakeRow[] =>
    [...child, { code: '8L', n: online }, { code: '8L', flag: 'no' as const, n: offline }].filter(
      (r) => r.n > 0,
    ),
  );
const dataArb = fc
  .subarray(FORCES, { minLength: 1 })
  .chain((ids) =>
    fc
      .tuple(...ids.map(() => forceRows))
      .map((rows) => Object.fromEntries(ids.map((id, i) => [id, rows[i]!]))),
  );
const configArb: fc.Arbitrary<DisclosureConfig> = fc.oneof(
  fc.record({ method: fc.constant('threshold' as const), threshold: fc.constantFrom(3, 5, 5, 10) }),
  fc.constant({ method: 'ons-10-5' as const }),
);

const texts = (t: PublishedTableEntry) => [
  ...t.table.cells.flat(),
  ...t.table.rowTotals,
  ...t.table.columnTotals,
  t.table.grandTotal,
];

describe('national publication (property)', () => {
  it('publishes no small count and lets no suppressed figure be worked out, alone or across tables', () => {
    fc.assert(
      fc.property(dataArb, configArb, fc.boolean(), (data, config, withAges) => {
        const cfg = resolveDisclosureConfig(config);
        const heads = Object.keys(data).map((forceId) => ({
          forceId,
          state: 'accepted' as const,
          revision: 1,
          sha256: 'f'.repeat(64),
        }));
        const forces = fakeForces(data);
        const ages = withAges ? fakeOffenceAges(data) : null;
        const p = buildPublication({
          title: 'P',
          period: Y,
          disclosure: config,
          catalogue,
          coverage: buildCoverage(catalogue, Y, heads, 'accepted'),
          forces,
          offenceAges: ages,
          offenceAgesNote: null,
          definitions: {},
          generatedAt: new Date(0),
        });
        for (const t of p.tables) {
          // (1) every shown count is 0 or at least the threshold (and a multiple of 5 under ONS 10-5).
          for (const v of texts(t)) {
            expect(v === '[z]' || v === '[c]' || /^\d+$/.test(v)).toBe(true);
            if (/^\d+$/.test(v)) {
              const n = Number(v);
              expect(n === 0 || n >= cfg.threshold).toBe(true);
              if (cfg.roundingBase > 1) expect(n % cfg.roundingBase).toBe(0);
            }
          }
          if (t.id === 'region-by-flag') continue;
          // (2a) each table alone: libs/disclosure's exact attacker on the published strings.
          const primary = new Set(
            t.suppressed.filter((s) => s.reason === 'primary').map((s) => JSON.stringify(s.entry)),
          );
          for (const hit of attackPublishedTable(t.table, config)) {
            expect(hit.range.max - hit.range.min).toBeGreaterThanOrEqual(1);
            if (primary.has(JSON.stringify(hit.entry)))
              expect(hit.range.min === 0 || hit.range.max >= cfg.threshold).toBe(true);
          }
          expect(t.allProtected).toBe(true);
        }
        // (2b) all linked tables at once, from the published strings only.
        const counts = buildCountTables(catalogue, Y, forces, ages);
        const model = linkedModel(counts);
        const byId = new Map(p.tables.map((t) => [t.id, t]));
        const textOf = publishedText(p.tables);
        // a shared figure reads the same in every table
        for (const a of model.arcs)
          expect(new Set(a.entries.map(textOf)).size).toBeLessThanOrEqual(1);
        const reader = publishedReader(model, textOf, cfg);
        const truthOf = trueCount(counts);
        const primary = (k: LinkedEntry) =>
          byId
            .get(k.table as PublishedTableEntry['id'])!
            .suppressed.some(
              (s) => s.reason === 'primary' && JSON.stringify(s.entry) === JSON.stringify(k.entry),
            );
        model.arcs.forEach((a, i) => {
          if (a.entries.length === 0 || textOf(a.entries[0]!) !== '[c]') return;
          const r = reader.range(i);
          expect(r.max - r.min).toBeGreaterThanOrEqual(1);
          // a primary's range covers its protection interval: the threshold on each side, floored at 0
          if (a.entries.some(primary)) {
            const v = truthOf(a.entries[0]!);
            expect(r.min <= Math.max(0, v - cfg.threshold) && r.max >= v + cfg.threshold).toBe(
              true,
            );
          }
        });
        // (3) a region figure is the sum of shown force figures, or hidden.
        const f = byId.get('force-by-flag')!;
        const r = byId.get('region-by-flag')!;
        r.rowKeys.forEach((region, i) => {
          const members = f.rowKeys.flatMap((id, j) =>
            catalogue.force(id)!.regionId === region ? [j] : [],
          );
          r.table.cells[i]!.forEach((v, c) => {
            const parts = members.map((j) => f.table.cells[j]![c]!);
            expect(v).toBe(
              parts.includes('[c]') ? '[c]' : String(parts.reduce((s, x) => s + Number(x), 0)),
            );
          });
        });
      }),
      { numRuns: 100 },
    );
  });
});
