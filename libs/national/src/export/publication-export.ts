// Exports of a publication: JSON (as stored), CSV wide (one file per table, zipped) or long (tidy: one
// row per published figure, for analysts), XLSX (accessible spreadsheet: publication-xlsx.ts).
import { NOT_AVAILABLE, SUPPRESSED, type EntryRef } from '#libs/disclosure';
import { publicationXlsx } from './publication-xlsx.js';
import type { PublicationView } from '../publication/publication.service.js';
import type { PublishedTableEntry } from '../publication/publication.types.js';
import {
  CONTENT_TYPES,
  toCsv,
  zipFiles,
  type CsvLayout,
  type ExportFile,
  type FileFormat,
} from './files.js';

export const TIDY_HEADER = [
  'table',
  'row_key',
  'row',
  'column',
  'value',
  'suppressed',
  'reason',
  'coverage',
  'counting_unit',
] as const;

// Totals are rows/columns labelled 'Total'; forces or regions not in the figures get one row each, value
// [x] (not available) and their status as the reason, so nothing is silently dropped.
export function tidyRows(t: PublishedTableEntry): unknown[][] {
  // Keyed field by field: the stored JSON (jsonb) does not keep the key order of the entries.
  const key = (e: EntryRef) =>
    `${e.kind}:${'row' in e ? e.row : ''}:${'column' in e ? e.column : ''}`;
  const reason = new Map(t.suppressed.map((s) => [key(s.entry), s.reason]));
  const row = (
    rowKey: string,
    rowLabel: string,
    column: string,
    value: string,
    entry: EntryRef,
  ) => {
    const why = reason.get(key(entry)) ?? '';
    return [
      t.id,
      rowKey,
      rowLabel,
      column,
      value,
      value === SUPPRESSED,
      why,
      t.coverage.text,
      t.countingUnit,
    ];
  };
  const { table } = t;
  const out: unknown[][] = [];
  table.rowLabels.forEach((label, r) => {
    table.columnLabels.forEach((col, c) =>
      out.push(
        row(t.rowKeys[r]!, label, col, table.cells[r]![c]!, { kind: 'cell', row: r, column: c }),
      ),
    );
    out.push(
      row(t.rowKeys[r]!, label, 'Total', table.rowTotals[r]!, { kind: 'row-total', row: r }),
    );
  });
  table.columnLabels.forEach((col, c) =>
    out.push(
      row('total', 'Total', col, table.columnTotals[c]!, { kind: 'column-total', column: c }),
    ),
  );
  out.push(row('total', 'Total', 'Total', table.grandTotal, { kind: 'grand-total' }));
  for (const m of t.notPublishedRows)
    out.push([
      t.id,
      m.key,
      m.label,
      '',
      NOT_AVAILABLE,
      false,
      m.status,
      t.coverage.text,
      t.countingUnit,
    ]);
  return out;
}

export function wideRows(t: PublishedTableEntry): unknown[][] {
  const { table } = t;
  const status = t.notPublishedRows.length > 0;
  return [
    [
      t.rowDimension,
      ...table.columnLabels,
      'Total',
      ...(t.rowCoverage ? ['coverage'] : []),
      ...(status ? ['status'] : []),
    ],
    ...table.rowLabels.map((label, r) => [
      label,
      ...table.cells[r]!,
      table.rowTotals[r]!,
      ...(t.rowCoverage ? [t.rowCoverage[r]!] : []),
      ...(status ? ['included'] : []),
    ]),
    [
      'Total',
      ...table.columnTotals,
      table.grandTotal,
      ...(t.rowCoverage ? [t.coverage.text] : []),
      ...(status ? [''] : []),
    ],
    ...t.notPublishedRows.map((m) => [
      m.label,
      ...table.columnLabels.map(() => NOT_AVAILABLE),
      NOT_AVAILABLE,
      ...(t.rowCoverage ? [''] : []),
      m.status,
    ]),
  ];
}

export const SYMBOLS_NOTE =
  '[c] confidential (suppressed to protect individuals); [z] not applicable (impossible combination); [x] not available (return not included)';

const footer = (t: PublishedTableEntry): unknown[][] => [
  [],
  ['Counting unit', t.countingUnit],
  ['Coverage', t.coverage.text],
  ['Methodology', t.methodologyNote],
  ['Symbols', SYMBOLS_NOTE],
  ...t.notes.map((n) => ['Note', n]),
];

export async function exportPublication(
  view: PublicationView,
  format: FileFormat,
  layout: CsvLayout = 'wide',
): Promise<ExportFile> {
  const base = `publication-${view.year}-${view.id.slice(0, 8)}`;
  if (format === 'json')
    return {
      filename: `${base}.json`,
      contentType: CONTENT_TYPES.json,
      body: Buffer.from(JSON.stringify(view)),
    };
  const tables = view.content.tables;
  const tidy = toCsv(TIDY_HEADER, tables.flatMap(tidyRows));
  if (format === 'csv' && layout === 'long')
    return {
      filename: `${base}-tidy.csv`,
      contentType: CONTENT_TYPES.csv,
      body: Buffer.from(tidy),
    };
  if (format === 'csv') {
    const files = tables.map((t) => {
      const [header, ...rows] = [...wideRows(t), ...footer(t)];
      return { name: `${t.id}.csv`, text: toCsv(header as string[], rows) };
    });
    files.push(
      { name: 'tidy.csv', text: tidy },
      { name: 'publication.json', text: JSON.stringify(view, null, 2) },
    );
    // The access log's signed head when published, on its own: `cyberflag audit verify --checkpoint` reads it
    // (or publication.json). Stored with the publication, so the same publication still zips to the same bytes.
    if (view.accessLogCheckpoint)
      files.push({
        name: 'access-log-checkpoint.json',
        text: JSON.stringify(view.accessLogCheckpoint, null, 2),
      });
    return { filename: `${base}.zip`, contentType: CONTENT_TYPES.zip, body: await zipFiles(files) };
  }
  const body = await publicationXlsx(view, {
    header: TIDY_HEADER,
    rows: tables.flatMap(tidyRows),
  });
  return {
    filename: `${base}.xlsx`,
    contentType: CONTENT_TYPES.xlsx,
    body,
  };
}
