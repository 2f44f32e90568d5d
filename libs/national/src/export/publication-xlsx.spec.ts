import ExcelJS from 'exceljs';
import { Catalogue } from '#libs/catalogue';
import { buildCoverage } from '../coverage.js';
import { nationalPeriod } from '../period.js';
import { buildPublication } from '../publication/build-publication.js';
import type { PublicationView } from '../publication/publication.service.js';
import { fakeForces, fakeOffenceAges, type FakeRow } from '../testing/fake-counts.js';
import { exportPublication } from './publication-export.js';

// The publication's XLSX against the Analysis Function's accessible-spreadsheet rules, read back with exceljs.
const catalogue = new Catalogue();
const Y = nationalPeriod(2020);
const data: Record<string, FakeRow[]> = {
  'avon-and-somerset': [
    { code: '88A', n: 40, age: 13 },
    { code: '88A', n: 12, age: 14, sex: 'male' },
    { code: '19E', n: 3, age: 11 },
    { code: '8L', n: 120 },
    { code: '8L', flag: 'no', n: 400 },
  ],
  'devon-and-cornwall': [
    { code: '88A', n: 25, age: 15 },
    { code: '8L', n: 60 },
    { code: '8L', flag: 'no', n: 300 },
  ],
  gloucestershire: [
    { code: '88A', n: 2, age: 13 },
    { code: '8L', n: 30 },
  ],
};
const heads = Object.keys(data).map((forceId, i) => ({
  forceId,
  state: 'accepted' as const,
  revision: 1,
  sha256: String(i).repeat(64),
}));
const content = buildPublication({
  title: 'Online crime 2020-21',
  period: Y,
  disclosure: { method: 'threshold' },
  catalogue,
  coverage: buildCoverage(catalogue, Y, heads, 'accepted'),
  forces: fakeForces(data),
  offenceAges: fakeOffenceAges(data),
  offenceAgesNote: null,
  definitions: { onlineFlag: 'committed wholly or partly online' },
  generatedAt: new Date('2021-06-01T00:00:00Z'),
});
const view: PublicationView = {
  id: '11111111-2222-4333-8444-555555555555',
  year: Y.label,
  title: content.metadata.title,
  config: { method: 'threshold' },
  sha256: 'a'.repeat(64),
  returnsUsed: content.metadata.returnsUsed,
  publishedAt: '2021-06-01T00:00:00.000Z',
  publishedBy: 'stat-1',
  status: 'current',
  supersedes: null,
  supersededBy: null,
  accessLogCheckpoint: {
    chainId: '99999999-2222-4333-8444-555555555555',
    pos: '41',
    seq: '57',
    hash: 'b'.repeat(64),
    at: '2021-06-01T00:00:00.000Z',
    mac: 'c'.repeat(64),
  },
  verified: true,
  content,
};

const text = (v: ExcelJS.CellValue): string =>
  v === null || v === undefined
    ? ''
    : typeof v === 'object' && 'text' in v
      ? String(v.text)
      : String(v);
// Rows 1..rowCount as arrays of cell texts over the sheet's used columns.
function grid(ws: ExcelJS.Worksheet): string[][] {
  const out: string[][] = [];
  for (let r = 1; r <= ws.rowCount; r++) {
    const row = ws.getRow(r);
    out.push(Array.from({ length: ws.columnCount }, (_, c) => text(row.getCell(c + 1).value)));
  }
  return out;
}

describe('publication XLSX (accessible spreadsheet)', () => {
  let wb: ExcelJS.Workbook;
  beforeAll(async () => {
    const file = await exportPublication(view, 'xlsx');
    expect(file.filename).toBe('publication-2020-21-11111111.xlsx');
    wb = new ExcelJS.Workbook();
    await wb.xlsx.load(file.body as unknown as ArrayBuffer);
  });
  const tableSheets = () => wb.worksheets.slice(3);

  it('has a cover sheet, a contents sheet and a notes sheet first, then one table per sheet', () => {
    const names = wb.worksheets.map((w) => w.name);
    expect(names.slice(0, 3)).toEqual(['Cover', 'Contents', 'Notes']);
    // Every published table, the summary, the returns used and the long form: a sheet each.
    expect(names.slice(3)).toEqual([
      ...content.tables.map((_, i) => `Table_${i + 1}`),
      `Table_${content.tables.length + 1}`,
      'Returns_used',
      'Tidy_data',
    ]);
    for (const n of names) expect(n).not.toMatch(/\s/);
    expect(wb.title).toBe('Online crime 2020-21');
  });

  it('starts every sheet in A1 with a title, and merges no cell anywhere', () => {
    for (const ws of wb.worksheets) {
      expect(text(ws.getCell('A1').value).length).toBeGreaterThan(3);
      expect(ws.getCell('A1').font?.bold).toBe(true);
      expect(ws.model.merges ?? []).toEqual([]);
      for (let r = 1; r <= ws.rowCount; r++)
        ws.getRow(r).eachCell((c) => expect(c.isMerged).toBe(false));
    }
    expect(text(wb.getWorksheet('Table_1')!.getCell('A1').value)).toBe(
      'Table 1: Recorded crimes by force and online flag, 2020-21',
    );
  });

  it('keeps each table a solid block: text rows in column A only above it, then a header and data rows with no blank row, column or cell', () => {
    for (const ws of [wb.getWorksheet('Notes')!, ...tableSheets()]) {
      const g = grid(ws);
      const headerAt = g.findIndex((r) => r.filter(Boolean).length > 1);
      expect(headerAt).toBeGreaterThan(0);
      // Above the table: the title and its description, one cell each in column A.
      for (const r of g.slice(0, headerAt)) {
        expect(r[0]).not.toBe('');
        expect(r.slice(1).every((c) => c === '')).toBe(true);
      }
      const table = g.slice(headerAt);
      expect(table.length).toBeGreaterThan(1);
      const width = table[0]!.filter(Boolean).length;
      expect(table[0]!.slice(0, width).every(Boolean)).toBe(true);
      for (const r of table) {
        if (r.slice(0, width).some((c) => c === '')) throw new Error(`${ws.name}: ${r.join('|')}`);
        expect(r.slice(0, width).every((c) => c !== '')).toBe(true); // no blank cell inside the table
        expect(r.slice(width).every((c) => c === '')).toBe(true); // nothing beside it
      }
    }
  });

  it('stores figures as numbers and shorthand symbols as text, and explains every symbol it uses', () => {
    const t1 = grid(wb.getWorksheet('Table_1')!);
    const row = wb
      .getWorksheet('Table_1')!
      .getRows(1, t1.length)!
      .find((r) => r.getCell(1).value === 'Avon and Somerset Constabulary')!;
    expect(row.getCell(3).value).toBe(120); // online, not a child sexual offence: 120 crimes
    expect(wb.getWorksheet('Returns_used')!.getCell('D5').value).toBe('1'.repeat(64)); // a hash stays text
    const glos = t1.find((r) => r[0] === 'Gloucestershire Constabulary')!;
    expect(glos[1]).toBe('[c]'); // two child sexual offences: suppressed
    expect(t1.some((r) => r[0] === 'Kent Police' && r.slice(1, 4).every((c) => c === '[x]'))).toBe(
      true,
    ); // a force whose return is not in: not available, with its status
    const used = new Set(
      tableSheets()
        .flatMap((ws) => grid(ws).flat())
        .flatMap((c) => c.match(/\[[a-z]\]/g) ?? []),
    );
    expect(used.has('[c]')).toBe(true);
    expect(used.has('[x]')).toBe(true);
    const notes = grid(wb.getWorksheet('Notes')!).map((r) => r[0]);
    for (const s of used) expect(notes).toContain(`Symbol ${s}`);
    const cover = grid(wb.getWorksheet('Cover')!);
    expect(cover.find((r) => r[0] === 'Shorthand symbols')![1]).toMatch(
      /\[c\] confidential.*\[z\] not applicable.*\[x\] not available/,
    );
    // The access log's signed head, as JSON text a verifier can read back exactly.
    expect(JSON.parse(cover.find((r) => r[0] === 'Access log checkpoint')![1]!)).toEqual(
      view.accessLogCheckpoint,
    );
    // Every table sheet says which symbols it may hold and points to its notes.
    for (const ws of tableSheets().slice(0, content.tables.length))
      expect(grid(ws).some((r) => /\[c\] confidential/.test(r[0]!))).toBe(true);
  });

  it('lists every sheet after itself on the contents sheet, each linked, and has no blank row on the cover', () => {
    const contents = wb.getWorksheet('Contents')!;
    const g = grid(contents);
    const headerAt = g.findIndex((r) => r[0] === 'Worksheet name');
    const listed = g.slice(headerAt + 1).map((r) => r[0]);
    expect(listed).toEqual(wb.worksheets.slice(2).map((w) => w.name));
    for (let r = headerAt + 2; r <= contents.rowCount; r++) {
      const v = contents.getRow(r).getCell(1).value as { hyperlink?: string };
      expect(v.hyperlink).toBe(`#'${text(contents.getRow(r).getCell(1).value)}'!A1`);
    }
    expect(grid(wb.getWorksheet('Cover')!).every((r) => r[0] !== '')).toBe(true);
  });
});
