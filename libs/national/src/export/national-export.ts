// Exports of the national return (internal, unsuppressed: statisticians only): JSON as built; CSV in
// long form (one row per figure, every level: England and Wales, regions, forces); XLSX with a cover,
// coverage, the national tables, key figures per region and per force, and the long sheet.
import type { AreaAggregate, MissingForce, NationalReturn } from '../national.types.js';
import {
  addSheet,
  CONTENT_TYPES,
  newWorkbook,
  toCsv,
  workbookBuffer,
  type ExportFile,
  type FileFormat,
} from './files.js';

export const NATIONAL_LONG_HEADER = [
  'level',
  'area_id',
  'area',
  'coverage',
  'table',
  'row',
  'column',
  'value',
] as const;

function tableRows(a: AreaAggregate): [string, string, string, unknown][] {
  const out: [string, string, string, unknown][] = [];
  for (const r of a.tableA.rows) {
    const label =
      r.level === 'offence'
        ? `${r.offenceCode} ${r.offenceName}`
        : r.level === 'group'
          ? `${r.group} (subtotal)`
          : 'Total';
    for (const [col, v] of [
      ['online: yes', r.flagYes],
      ['online: no', r.flagNo],
      ['online: unknown', r.flagUnknown],
      ['total', r.total],
      ['% flagged', r.pctFlagged],
    ] as const) {
      out.push(['A', label, col, v]);
    }
  }
  for (const r of a.tableB.rows) {
    const label =
      r.level === 'age'
        ? `age ${r.age ?? 'unknown'}`
        : r.level === 'band'
          ? `band ${r.band}`
          : 'Total';
    for (const [col, v] of [
      ['female', r.female],
      ['male', r.male],
      ['unknown sex', r.unknownSex],
      ['total', r.total],
      ['rapes', r.rapes],
    ] as const) {
      out.push(['B', label, col, v]);
    }
  }
  for (const [k, v] of Object.entries(a.tableB.summary)) out.push(['B summary', k, 'value', v]);
  for (const [k, v] of Object.entries(a.tableC.quality)) out.push(['C quality', k, 'value', v]);
  for (const f of a.tableC.flagChanges)
    out.push(
      ['C flag changes', f.direction, 'changes', f.changes],
      ['C flag changes', f.direction, 'records', f.records],
    );
  for (const r of a.tableC.removals) {
    const label = r.level === 'total' ? 'Total' : `${r.status} ${r.category}`;
    out.push(
      ['C removals', label, 'online-flagged', r.onlineFlagged],
      ['C removals', label, 'not online-flagged', r.notOnlineFlagged],
      ['C removals', label, 'total', r.total],
    );
  }
  for (const w of a.tableC.ruleWarnings)
    out.push(
      ['C rule warnings', w.ruleCode, 'records', w.records],
      ['C rule warnings', w.ruleCode, 'online-flagged', w.onlineFlagged],
    );
  for (const [k, v] of Object.entries(a.perDay))
    if (k !== 'days') out.push(['per day', k, `per day (${a.perDay.days} days)`, v]);
  return out;
}

export function nationalLongRows(n: NationalReturn): unknown[][] {
  const area = (a: AreaAggregate) =>
    tableRows(a).map(([table, row, col, v]) => [
      a.level,
      a.id,
      a.name,
      a.coverage.text,
      table,
      row,
      col,
      v,
    ]);
  const missing = (m: MissingForce) => [
    [m.level, m.id, m.name, '', 'coverage', '', 'status', m.status],
  ];
  return [
    ...area(n.national),
    ...n.regions.flatMap(area),
    ...n.forces.flatMap((f) => ('tableA' in f ? area(f) : missing(f))),
  ];
}

const KEY_HEADER = [
  'area',
  'coverage',
  'status',
  'recorded crimes',
  'online-flagged',
  '% flagged',
  'child sexual offences',
  'rapes',
  'under ten',
  'youngest age',
  'modal age',
  'child sexual offences per day',
];
function keyFigures(a: AreaAggregate | MissingForce): unknown[] {
  if (!('tableA' in a)) return [a.name, '', a.status];
  const t = a.tableA.rows.at(-1)!;
  const s = a.tableB.summary;
  return [
    a.name,
    a.coverage.text,
    'included',
    t.total,
    t.flagYes,
    t.pctFlagged,
    s.total,
    s.rapes,
    s.underTen,
    s.youngestAge,
    s.modalAge,
    a.perDay.childSexualOffences,
  ];
}

export async function exportNational(n: NationalReturn, format: FileFormat): Promise<ExportFile> {
  const base = `national-${n.metadata.year.label}-${n.metadata.basis}`;
  if (format === 'json')
    return {
      filename: `${base}.json`,
      contentType: CONTENT_TYPES.json,
      body: Buffer.from(JSON.stringify(n)),
    };
  const long = nationalLongRows(n);
  if (format === 'csv')
    return {
      filename: `${base}.csv`,
      contentType: CONTENT_TYPES.csv,
      body: Buffer.from(toCsv(NATIONAL_LONG_HEADER, long)),
    };
  const wb = newWorkbook();
  const m = n.metadata;
  addSheet(
    wb,
    'Cover',
    [
      ['National return', m.year.label],
      ['Period', `${m.year.firstDay} to ${m.year.lastDay} (${m.year.days} days)`],
      ['Basis', m.basis],
      ['Coverage', m.coverage.text],
      [
        'Returns',
        `expected ${m.returns.expected}, received ${m.returns.received}, accepted ${m.returns.accepted}, included ${m.returns.included}`,
      ],
      ['Generated', m.generatedAt],
      ['Counting unit', m.countingUnit],
      [
        'Not for publication',
        'unsuppressed figures: publish through a publication (disclosure control)',
      ],
      [],
      ...Object.entries(m.definitions),
    ],
    false,
  );
  addSheet(wb, 'Coverage', [
    [
      'force',
      'name',
      'region',
      'expected',
      'return state',
      'received',
      'accepted',
      'included',
      'status',
      'revision',
      'sha256',
    ],
    ...n.coverage.map((r) => [
      r.forceId,
      r.forceName,
      r.regionName,
      r.expected,
      r.returnState,
      r.received,
      r.accepted,
      r.included,
      r.status,
      r.revision,
      r.sha256,
    ]),
  ]);
  const rows = tableRows(n.national);
  for (const [name, prefix] of [
    ['A national', 'A'],
    ['B national', 'B'],
    ['C national', 'C'],
  ] as const) {
    addSheet(wb, name, [
      ['table', 'row', 'column', 'value'],
      ...rows.filter((r) => r[0].startsWith(prefix)),
    ]);
  }
  addSheet(wb, 'Regions', [KEY_HEADER, keyFigures(n.national), ...n.regions.map(keyFigures)]);
  addSheet(wb, 'Forces', [KEY_HEADER, ...n.forces.map(keyFigures)]);
  addSheet(wb, 'Long', [[...NATIONAL_LONG_HEADER], ...long]);
  return {
    filename: `${base}.xlsx`,
    contentType: CONTENT_TYPES.xlsx,
    body: await workbookBuffer(wb),
  };
}
