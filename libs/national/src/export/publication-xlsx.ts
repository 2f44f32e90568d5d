// The publication as an accessible spreadsheet (Government Analysis Function, "Releasing statistics in
// spreadsheets"): a cover sheet, a contents sheet, a notes sheet, then one table per sheet. Every sheet starts
// in A1 with its title; text rows above a table say what it holds; the table itself is one header row and its
// data rows with no blank row or column and no merged cell; numbers are stored as numbers, shorthand symbols
// ([c], [z], [x]) as text, explained on the cover and the notes sheet.
import type ExcelJS from 'exceljs';
import { NOT_AVAILABLE, SUPPRESSED } from '#libs/disclosure';
import type { PublicationView } from '../publication/publication.service.js';
import { newWorkbook, workbookBuffer } from './files.js';

export const SYMBOLS: readonly [string, string][] = [
  ['[c]', 'confidential: suppressed to protect individuals (disclosure control)'],
  ['[z]', 'not applicable: an impossible combination (a structural zero)'],
  ['[x]', "not available: the force's return is not included"],
];

interface SheetTable {
  sheet: string; // worksheet name: no spaces (screen readers and formulas), at most 31 characters
  title: string; // cell A1
  about: string[]; // text rows between the title and the table
  header: string[];
  rows: unknown[][];
  numeric: number[]; // columns (0-based) of figures: numbers stored as numbers, right-aligned
  notes: number[]; // note numbers that apply (listed in the notes sheet)
}

const NUMBER = /^-?\d+(\.\d+)?$/;
// Figures are stored as numbers (sortable, summable); symbols and labels stay text.
const figure = (v: unknown): unknown => (typeof v === 'string' && NUMBER.test(v) ? Number(v) : v);
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

// tidy: the long form (a header and one row per published figure), as in the tidy CSV.
function tableSheets(
  view: PublicationView,
  tidy: { header: readonly string[]; rows: unknown[][] },
  noteOf: (text: string) => number,
): SheetTable[] {
  const c = view.content;
  const m = c.metadata;
  const symbolsNote = noteOf(
    'Shorthand symbols: [c] confidential (suppressed), [z] not applicable, [x] not available.',
  );
  const published = c.tables.map((t, i): SheetTable => {
    const hasRowCoverage = t.rowCoverage !== null;
    const notes = [
      symbolsNote,
      noteOf(t.methodologyNote),
      ...t.notes.map(noteOf),
      ...(t.notPublishedRows.length > 0
        ? [
            noteOf(
              `${t.title}: forces not included are listed at the end of the table with [x] and their return status.`,
            ),
          ]
        : []),
    ];
    const width = t.table.columnLabels.length + 1;
    return {
      sheet: `Table_${i + 1}`,
      title: `Table ${i + 1}: ${t.title}, ${m.year.label}`,
      about: [
        'This worksheet contains one table.',
        `Counting unit: ${t.countingUnit}. Coverage: ${t.coverage.text}.`,
        `Notes that apply: ${notes.map((n) => `note ${n}`).join(', ')} (see the Notes worksheet). Some cells hold shorthand symbols: [c] confidential, [z] not applicable, [x] not available.`,
      ],
      header: [
        capitalise(t.rowDimension),
        ...t.table.columnLabels,
        'Total',
        ...(hasRowCoverage ? ['Coverage'] : []),
        'Status',
      ],
      rows: [
        ...t.table.rowLabels.map((label, r) => [
          label,
          ...t.table.cells[r]!,
          t.table.rowTotals[r]!,
          ...(hasRowCoverage ? [t.rowCoverage![r]!] : []),
          'included',
        ]),
        [
          'Total',
          ...t.table.columnTotals,
          t.table.grandTotal,
          ...(hasRowCoverage ? [t.coverage.text] : []),
          'total',
        ],
        ...t.notPublishedRows.map((n) => [
          n.label,
          ...Array.from({ length: width }, () => NOT_AVAILABLE),
          ...(hasRowCoverage ? [NOT_AVAILABLE] : []),
          n.status,
        ]),
      ],
      numeric: range(1, width + 1),
      notes,
    };
  });
  const s = c.summary;
  const summaryNote = noteOf(
    'Summary: under ten and rapes are published for England and Wales only, so they are [x] for each force; an age is [c] when fewer than the threshold share it.',
  );
  const summary: SheetTable = {
    sheet: `Table_${published.length + 1}`,
    title: `Table ${published.length + 1}: Summary of online-flagged child sexual offences, England and Wales and forces, ${m.year.label}`,
    about: [
      'This worksheet contains one table.',
      `Coverage: ${m.coverage.text}.`,
      `Notes that apply: note ${symbolsNote}, note ${summaryNote} (see the Notes worksheet).`,
    ],
    header: [
      'Area',
      'Child sexual offences',
      'Child sexual offences per day',
      'Victims under ten',
      'Rapes',
      'Youngest victim age',
      'Most common victim age',
    ],
    rows: [
      [
        'England and Wales',
        s.national.childSexualOffences,
        s.national.childSexualOffencesPerDay,
        s.national.underTen,
        s.national.rapes,
        s.national.youngestAge ?? SUPPRESSED,
        s.national.modalAge ?? SUPPRESSED,
      ],
      ...s.forces.map((f) => [
        f.forceName,
        f.childSexualOffences,
        f.childSexualOffencesPerDay,
        NOT_AVAILABLE,
        NOT_AVAILABLE,
        f.youngestAge ?? SUPPRESSED,
        f.modalAge ?? SUPPRESSED,
      ]),
    ],
    numeric: range(1, 7),
    notes: [symbolsNote, summaryNote],
  };
  const returns: SheetTable = {
    sheet: 'Returns_used',
    title: `Force returns used in this publication, ${m.year.label}`,
    about: [
      'This worksheet contains one table: the accepted revision of each force return the figures come from, with the SHA-256 of its tables.',
    ],
    header: ['Force id', 'Force', 'Revision', 'SHA-256'],
    rows: m.returnsUsed.map((r) => [
      r.forceId,
      c.coverage.find((x) => x.forceId === r.forceId)?.forceName ?? r.forceId,
      r.revision,
      r.sha256,
    ]),
    numeric: [2],
    notes: [],
  };
  const long: SheetTable = {
    sheet: 'Tidy_data',
    title: `All published figures in long form, ${m.year.label}`,
    about: [
      'This worksheet contains one table: one row per published figure of Tables 1 to ' +
        `${published.length}, for analysis. The value column holds numbers or the shorthand symbols.`,
    ],
    header: [...tidy.header],
    // A published figure has no suppression reason: not applicable, [z], rather than a blank cell.
    rows: tidy.rows.map((r) => r.map((v) => (v === '' ? '[z]' : v))),
    numeric: [tidy.header.indexOf('value')],
    notes: [symbolsNote],
  };
  return [...published, summary, returns, long];
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function writeTable(wb: ExcelJS.Workbook, t: SheetTable): void {
  const ws = wb.addWorksheet(t.sheet);
  ws.addRow([t.title]).font = { bold: true, size: 14 };
  for (const line of t.about) ws.addRow([line]);
  const head = ws.addRow(t.header);
  head.font = { bold: true };
  for (const r of t.rows) ws.addRow(r.map((v, i) => (t.numeric.includes(i) ? figure(v) : v)));
  t.header.forEach((h, i) => {
    const col = ws.getColumn(i + 1);
    const longest = Math.max(h.length, ...t.rows.map((r) => String(r[i] ?? '').length));
    col.width = Math.min(60, Math.max(12, longest + 2));
    // The figures' cells only: the title and text rows above the table stay as written.
    if (t.numeric.includes(i))
      for (let r = t.about.length + 3; r <= ws.rowCount; r++)
        ws.getRow(r).getCell(i + 1).alignment = { horizontal: 'right' };
  });
}

export async function publicationXlsx(
  view: PublicationView,
  tidy: { header: readonly string[]; rows: unknown[][] },
): Promise<Buffer> {
  const wb = newWorkbook();
  wb.title = view.title;
  const m = view.content.metadata;
  const notes: string[] = [];
  const noteOf = (text: string): number => {
    const i = notes.indexOf(text);
    if (i >= 0) return i + 1;
    notes.push(text);
    return notes.length;
  };
  const tables = tableSheets(view, tidy, noteOf);
  for (const n of view.content.notes) noteOf(n);

  // Cover: what this is, when, from what; two columns (heading, text), no blank row.
  const cover = wb.addWorksheet('Cover');
  cover.addRow([view.title]).font = { bold: true, size: 16 };
  const coverRows: [string, string][] = [
    [
      'About these statistics',
      `Recorded crimes by online flag and online-flagged child sexual offences in England and Wales, ${m.year.label}, from the forces' accepted annual returns, with disclosure control applied.`,
    ],
    ['Period', `${m.year.firstDay} to ${m.year.lastDay} (${m.year.days} days)`],
    ['Coverage', m.coverage.text],
    ['Counting unit', m.countingUnit],
    [
      'Disclosure control',
      `${m.disclosure.method}, threshold ${m.disclosure.threshold}, rounding base ${m.disclosure.roundingBase}, secondary suppression ${m.disclosure.secondaryMethod}`,
    ],
    ['Shorthand symbols', SYMBOLS.map(([s, t]) => `${s} ${t}`).join('; ')],
    ['Published', `${view.publishedAt} by ${view.publishedBy}`],
    // A superseded publication says so on its cover, whoever downloads it later.
    [
      'Status',
      view.supersededBy
        ? `superseded by publication ${view.supersededBy.id} of ${view.supersededBy.publishedAt}`
        : 'current',
    ],
    ['SHA-256 of the published content', view.sha256],
    // As plain JSON text: saved as a file, it is what `cyberflag audit verify --checkpoint FILE` reads.
    [
      'Access log checkpoint',
      view.accessLogCheckpoint
        ? JSON.stringify(view.accessLogCheckpoint)
        : 'none (no access-log checkpoint was kept when this was published)',
    ],
    ['Contents', 'The Contents worksheet lists every table; the Notes worksheet lists every note.'],
    ...Object.entries(m.definitions).map(([k, v]): [string, string] => [`Definition: ${k}`, v]),
  ];
  for (const [k, v] of coverRows) cover.addRow([k, v]).getCell(1).font = { bold: true };
  cover.getColumn(1).width = 34;
  cover.getColumn(2).width = 110;
  cover.getColumn(2).alignment = { wrapText: true, vertical: 'top' };

  // Contents: one row per worksheet after it, each linked.
  const contents = wb.addWorksheet('Contents');
  contents.addRow(['Contents']).font = { bold: true, size: 14 };
  contents.addRow([
    'This worksheet contains one table. Each worksheet name links to the worksheet.',
  ]);
  contents.addRow(['Worksheet name', 'Worksheet title']).font = { bold: true };
  for (const s of [
    { sheet: 'Notes', title: 'Notes, including the shorthand symbols' },
    ...tables,
  ]) {
    const row = contents.addRow([s.sheet, s.title]);
    row.getCell(1).value = { text: s.sheet, hyperlink: `#'${s.sheet}'!A1` };
    row.getCell(1).font = { color: { argb: 'FF1D70B8' }, underline: true };
  }
  contents.getColumn(1).width = 20;
  contents.getColumn(2).width = 110;

  // Notes: numbered; the symbols first.
  writeTable(wb, {
    sheet: 'Notes',
    title: 'Notes',
    about: [
      'This worksheet contains one table. Notes are referred to by number from the tables; the shorthand symbols are listed first.',
    ],
    header: ['Note number', 'Note text'],
    rows: [
      ...SYMBOLS.map(([s, t]) => [`Symbol ${s}`, t]),
      ...notes.map((n, i) => [`note ${i + 1}`, n]),
    ],
    numeric: [],
    notes: [],
  });
  wb.getWorksheet('Notes')!.getColumn(2).width = 110;
  wb.getWorksheet('Notes')!.getColumn(2).alignment = { wrapText: true, vertical: 'top' };
  // The order the guidance asks for: cover, contents, notes, then the tables.
  for (const t of tables) writeTable(wb, t);
  return workbookBuffer(wb);
}
