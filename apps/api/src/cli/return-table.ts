// A force annual return as text for the terminal: a heading, then tables A, B and C as aligned columns.
// The same document as the JSON export (the files stay the machine formats).
import { exportTables, type ReturnExportDocument } from '#libs/returns';
import { textTable } from './text-table.js';

export function returnTableLines(doc: ReturnExportDocument): string[] {
  const m = doc.metadata;
  const r = doc.revision;
  const which = r
    ? `revision ${r.revision} (sha256 ${r.sha256.slice(0, 12)}…, ${r.verified ? 'verified' : 'NOT VERIFIED'})`
    : 'live draft';
  const lines = [
    `${m.force.name} (${m.region.name}), ${m.year.label}: ${which}`,
    `period ${m.year.firstDay} to ${m.year.lastDay} (${m.year.days} days); ${m.source.recordCount} records; counting rules ${m.countingRulesVersion}; generated ${m.generatedAt}`,
    '',
    `Table A: offences by online flag (${m.countingUnits.tableA})`,
    ...textTable(
      ['offence', 'online', 'not online', 'unknown', 'total', '% online'],
      doc.tableA.rows.map((a) => [
        a.level === 'offence'
          ? `  ${a.offenceCode} ${a.offenceName}`
          : a.level === 'group'
            ? `${a.group} (subtotal)`
            : 'Total',
        a.flagYes,
        a.flagNo,
        a.flagUnknown,
        a.total,
        a.pctFlagged,
      ]),
    ),
    '',
    `Table B: child sexual offences by victim age band and sex (${m.countingUnits.tableB})`,
    ...textTable(
      ['age band', 'female', 'male', 'unknown sex', 'total', 'rapes'],
      doc.tableB.rows.map((b) => [
        b.level === 'total' ? 'Total' : b.band,
        b.female,
        b.male,
        b.unknownSex,
        b.total,
        b.rapes,
      ]),
    ),
    `youngest age ${doc.tableB.summary.youngestAge ?? '-'}; modal age ${doc.tableB.summary.modalAge ?? '-'}; under ten ${doc.tableB.summary.underTen}`,
    '',
    `Table C: recording quality (${m.countingUnits.tableC})`,
    // C's parts have different shapes: the long form of the CSV export (section, key, measure, value).
    ...textTable(
      ['section', 'key', 'measure', 'value'],
      exportTables(doc).find((t) => t.key === 'C')!.rows,
    ),
  ];
  return lines;
}
