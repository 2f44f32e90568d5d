// The network attacker built by hand over a single table (S → row → column → T → S) must give the same
// ranges as the two-way table attacker reading the published strings, for every suppressed entry.
import fc from 'fast-check';
import {
  attackPublishedTable,
  attackerViewOf,
  entryIndex,
  resolveDisclosureConfig,
  type PublishedTable,
} from './index.js';
import { NetworkAttacker } from './network-attacker.js';

describe('network attacker', () => {
  it('agrees with the two-way table attacker on single tables', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 16, maxLength: 16 }),
        fc.array(fc.boolean(), { minLength: 25, maxLength: 25 }),
        (R, C, values, hide) => {
          const counts = Array.from({ length: R }, (_, r) =>
            Array.from({ length: C }, (_, c) => values[r * 4 + c]!),
          );
          const rowT = counts.map((l) => l.reduce((a, b) => a + b, 0));
          const colT = Array.from({ length: C }, (_, c) => counts.reduce((a, l) => a + l[c]!, 0));
          const grand = rowT.reduce((a, b) => a + b, 0);
          let k = 0;
          const show = (v: number) => (hide[k++ % hide.length] ? '[c]' : String(v));
          const t: PublishedTable = {
            rowLabels: counts.map((_, r) => `r${r}`),
            columnLabels: colT.map((_, c) => `c${c}`),
            cells: counts.map((l) => l.map(show)),
            rowTotals: rowT.map(show),
            columnTotals: colT.map(show),
            grandTotal: show(grand),
          };
          const cfg = resolveDisclosureConfig({ method: 'threshold', threshold: 1 });
          const view = attackerViewOf(t, cfg);
          // Nodes: S = 0, rows 1..R, columns R+1..R+C, T = R+C+1; arcs in libs/disclosure's entry order.
          const T = R + C + 1;
          const arcs = [
            ...counts.flatMap((l, r) =>
              l.map((_, c) => ({ u: 1 + r, v: 1 + R + c, interval: view.cells[r]![c]! })),
            ),
            ...rowT.map((_, r) => ({ u: 0, v: 1 + r, interval: view.rowTotals[r]! })),
            ...colT.map((_, c) => ({ u: 1 + R + c, v: T, interval: view.columnTotals[c]! })),
            { u: T, v: 0, interval: view.grandTotal },
          ];
          const net = NetworkAttacker.fromPublished(T + 1, arcs);
          for (const hit of attackPublishedTable(t, cfg))
            expect(net.range(entryIndex(hit.entry, R, C))).toEqual(hit.range);
        },
      ),
      { numRuns: 200 },
    );
  });
});
