import ExcelJS from 'exceljs';
import type { ExportTable, ReturnExportDocument } from './export-document.js';

// One sheet per table, after a cover sheet that says what the numbers are: force, period and its
// days, counting units, the definitions (the online-flag wording included) and the sign-off.
export async function toXlsx(doc: ReturnExportDocument, tables: ExportTable[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Cyberflag';
  wb.created = new Date(doc.metadata.generatedAt);
  cover(wb.addWorksheet('Cover'), doc);
  for (const t of tables.filter((x) => x.key !== 'metadata')) {
    const ws = wb.addWorksheet(t.sheet);
    ws.addRow(t.header).font = { bold: true };
    for (const r of t.rows) ws.addRow(r);
    ws.columns.forEach((c, i) => (c.width = Math.min(60, Math.max(10, t.header[i].length + 2))));
    ws.views = [{ state: 'frozen', ySplit: 1 }];
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function cover(ws: ExcelJS.Worksheet, doc: ReturnExportDocument): void {
  const m = doc.metadata;
  const r = doc.revision;
  const rows: [string, string | number][] = [
    ['Force', `${m.force.name} (${m.force.id})`],
    ['Region', m.region.name],
    ['Financial year', m.year.label],
    ['Period', `${m.year.firstDay} to ${m.year.lastDay} (UK local time)`],
    ['Days in period', m.year.days],
    ['Counting rules version', m.countingRulesVersion],
    ['Generated at', m.generatedAt],
    [
      'Status',
      r ? `revision ${r.revision}, submitted ${r.submittedAt}` : 'draft (live, not submitted)',
    ],
    ['Signed off by', r ? r.signedOffName : 'not signed off'],
    [
      'SHA-256 of the submitted tables',
      r ? `${r.sha256}${r.verified ? ' (verified)' : ' (DOES NOT VERIFY)'}` : '—',
    ],
    ['Records of the force-year', m.source.recordCount],
    ['Counting unit, table A', m.countingUnits.tableA],
    ['Counting unit, table B', m.countingUnits.tableB],
    ['Counting unit, table C', m.countingUnits.tableC],
    ['Table B', 'Age bands, total and summary; single years of age are internal and not exported'],
  ];
  ws.addRow(['Force annual return: online crime flag']).font = { bold: true, size: 14 };
  ws.addRow([]);
  for (const row of rows) ws.addRow(row).getCell(1).font = { bold: true };
  ws.addRow([]);
  ws.addRow(['Definitions']).font = { bold: true };
  for (const [k, v] of Object.entries(m.definitions))
    ws.addRow([k, v]).getCell(1).font = { bold: true };
  ws.getColumn(1).width = 34;
  ws.getColumn(2).width = 110;
  ws.getColumn(2).alignment = { wrapText: true, vertical: 'top' };
}
