import {
  attackPublishedTable,
  FlowNetwork,
  InconsistentTableError,
  TableAttacker,
  type PublishedTable,
} from './index.js';
import { lpAttack } from './testing/lp-attacker.js';

const published = (
  cells: string[][],
  rowTotals: string[],
  columnTotals: string[],
  grandTotal: string,
): PublishedTable => ({
  rowLabels: rowTotals.map((_, r) => `r${r}`),
  columnLabels: columnTotals.map((_, c) => `c${c}`),
  cells,
  rowTotals,
  columnTotals,
  grandTotal,
});

describe('max-flow', () => {
  it('finds the classic max flow', () => {
    const net = new FlowNetwork(4);
    net.addArc(0, 1, 3);
    net.addArc(0, 2, 2);
    net.addArc(1, 2, 5);
    net.addArc(1, 3, 2);
    net.addArc(2, 3, 3);
    expect(net.maxFlow(0, 3)).toBe(5);
  });

  it('stops at the limit', () => {
    const net = new FlowNetwork(2);
    net.addArc(0, 1, 10);
    expect(net.maxFlow(0, 1, 4)).toBe(4);
  });
});

describe('the exact attacker', () => {
  it('recovers a lone suppressed cell from its row total', () => {
    const [hit] = attackPublishedTable(
      published(
        [
          ['[c]', '10'],
          ['6', '7'],
        ],
        ['13', '13'],
        ['9', '17'],
        '26',
      ),
    );
    expect(hit).toEqual({ entry: { kind: 'cell', row: 0, column: 0 }, range: { min: 3, max: 3 } });
  });

  it('uses non-negativity: a rectangle with zero partners can be pinned', () => {
    // x + y = 3, x + z = 3, y + w = 0 → y = w = 0 → x = 3 although two cells hide in each line
    const hits = attackPublishedTable(
      published(
        [
          ['[c]', '[c]', '7'],
          ['[c]', '[c]', '5'],
        ],
        ['10', '5'],
        ['3', '0', '12'],
        '15',
      ),
    );
    expect(hits.map((h) => h.range)).toEqual([
      { min: 3, max: 3 },
      { min: 0, max: 0 },
      { min: 0, max: 0 },
      { min: 0, max: 0 },
    ]);
  });

  it('uses the grand total when a row total is hidden', () => {
    const hits = attackPublishedTable(
      published(
        [
          ['[c]', '[c]'],
          ['20', '30'],
        ],
        ['[c]', '50'],
        ['23', '31'],
        '54',
      ),
    );
    expect(hits.map((h) => h.range)).toEqual([
      { min: 3, max: 3 },
      { min: 1, max: 1 },
      { min: 4, max: 4 },
    ]);
  });

  it('reports an unbounded range when nothing bounds the entry', () => {
    const hits = attackPublishedTable(published([['[c]', '[c]']], ['[c]'], ['[c]', '[c]'], '[c]'));
    expect(hits.every((h) => h.range.min === 0 && h.range.max === Infinity)).toBe(true);
  });

  it('reads ONS-rounded values as intervals', () => {
    // 15 means 13..17, 10 means 10..12: the hidden cell is 15 − 10 ± 4, clipped at 0
    const [hit] = attackPublishedTable(published([['[c]', '10']], ['15'], ['[c]', '10'], '15'), {
      method: 'ons-10-5',
    });
    expect(hit!.range).toEqual({ min: 1, max: 7 });
  });

  it('refuses an inconsistent publication', () => {
    expect(() => attackPublishedTable(published([['5', '10']], ['16'], ['5', '10'], '16'))).toThrow(
      InconsistentTableError,
    );
  });

  it('agrees with the independent LP attacker on a hand-made table', () => {
    const p = published(
      [
        ['[c]', '[c]', '12'],
        ['[c]', '[c]', '20'],
        ['15', '11', '9'],
      ],
      ['25', '35', '35'],
      ['26', '28', '41'],
      '95',
    );
    const lp = lpAttack(p, 'threshold');
    const flow = attackPublishedTable(p);
    expect(flow.map((f) => f.range)).toEqual(
      [...lp.values()].map(({ min, max }) => ({ min, max })),
    );
  });

  it('accepts a known feasible starting table and checks it', () => {
    const view = {
      cells: [[{ lo: 0, hi: Infinity }]],
      rowTotals: [{ lo: 4, hi: 4 }],
      columnTotals: [{ lo: 4, hi: 4 }],
      grandTotal: { lo: 4, hi: 4 },
    };
    expect(new TableAttacker(view, [4, 4, 4, 4]).range(0)).toEqual({ min: 4, max: 4 });
    expect(() => new TableAttacker(view, [3, 4, 4, 4])).toThrow(InconsistentTableError);
  });
});
