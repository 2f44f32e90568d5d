import { diffTables } from './table-diff.js';

const aRow = (code: string, yes: number, no: number) => ({
  level: 'offence',
  group: 'g',
  offenceCode: code,
  flagYes: yes,
  flagNo: no,
  total: yes + no,
});
const total = (yes: number, no: number) => ({
  level: 'total',
  group: null,
  offenceCode: null,
  flagYes: yes,
  flagNo: no,
  total: yes + no,
});

describe('diffTables', () => {
  it('lists every changed cell with its path, old and new value, and nothing else', () => {
    const old = {
      metadata: { source: { recordCount: 3 } },
      tableA: { rows: [aRow('8L', 1, 1), total(1, 1)] },
    };
    const now = {
      metadata: { source: { recordCount: 4 } },
      tableA: { rows: [aRow('8L', 2, 1), total(2, 1)] },
    };
    expect(diffTables(old, now)).toEqual([
      { path: 'metadata.source.recordCount', old: 3, new: 4 },
      { path: 'tableA.rows[offence 8L].flagYes', old: 1, new: 2 },
      { path: 'tableA.rows[offence 8L].total', old: 2, new: 3 },
      { path: 'tableA.rows[total].flagYes', old: 1, new: 2 },
      { path: 'tableA.rows[total].total', old: 2, new: 3 },
    ]);
  });

  it('matches rows by what they describe, so a new offence row does not shift the others', () => {
    const old = { tableA: { rows: [aRow('8L', 1, 0), total(1, 0)] } };
    const now = { tableA: { rows: [aRow('19C', 1, 0), aRow('8L', 1, 0), total(2, 0)] } };
    expect(diffTables(old, now)).toEqual([
      { path: 'tableA.rows[total].flagYes', old: 1, new: 2 },
      { path: 'tableA.rows[total].total', old: 1, new: 2 },
      { path: 'tableA.rows[offence 19C].level', old: null, new: 'offence' },
      { path: 'tableA.rows[offence 19C].group', old: null, new: 'g' },
      { path: 'tableA.rows[offence 19C].offenceCode', old: null, new: '19C' },
      { path: 'tableA.rows[offence 19C].flagYes', old: null, new: 1 },
      { path: 'tableA.rows[offence 19C].flagNo', old: null, new: 0 },
      { path: 'tableA.rows[offence 19C].total', old: null, new: 1 },
    ]);
  });

  it('keys table C rows by category, rule code and direction', () => {
    const old = {
      tableC: {
        removals: [{ level: 'category', status: 'cancelled', category: 'C2', total: 1 }],
        ruleWarnings: [{ ruleCode: 'CF-X', records: 1 }],
      },
    };
    const now = {
      tableC: {
        removals: [{ level: 'category', status: 'cancelled', category: 'C2', total: 2 }],
        ruleWarnings: [],
      },
    };
    expect(diffTables(old, now)).toEqual([
      { path: 'tableC.removals[cancelled C2].total', old: 1, new: 2 },
      { path: 'tableC.ruleWarnings[CF-X].ruleCode', old: 'CF-X', new: null },
      { path: 'tableC.ruleWarnings[CF-X].records', old: 1, new: null },
    ]);
  });

  it('finds nothing between equal tables', () => {
    const t = {
      tableA: { rows: [aRow('8L', 1, 0), total(1, 0)] },
      tableB: { rows: [{ level: 'band', band: '0-4', total: 0 }] },
    };
    expect(diffTables(t, structuredClone(t))).toEqual([]);
  });
});
