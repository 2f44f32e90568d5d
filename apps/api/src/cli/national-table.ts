// The national return as text for the terminal: key figures for England and Wales, each region and its forces
// (every force of the year, included or not, with its status). The files (json, csv, xlsx) carry every table.
import type { AreaAggregate, MissingForce, NationalReturn } from '#libs/national';
import { textTable, type TextCell } from './text-table.js';

const HEADER = [
  'area',
  'coverage',
  'status',
  'crimes',
  'online',
  '% online',
  'child sexual',
  'rapes',
  'under 10',
  'youngest',
  'modal age',
  'child sexual/day',
];

function figures(a: AreaAggregate | MissingForce, indent: string): TextCell[] {
  if (!('tableA' in a)) return [`${indent}${a.name}`, '', a.status];
  const t = a.tableA.rows.at(-1)!;
  const s = a.tableB.summary;
  return [
    `${indent}${a.name}`,
    a.coverage.text,
    a.level === 'force' ? 'included' : '',
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

export function nationalTableLines(n: NationalReturn): string[] {
  const m = n.metadata;
  const rows: TextCell[][] = [figures(n.national, '')];
  for (const region of n.regions) {
    rows.push(figures(region, '  '));
    for (const f of n.forces) if (f.regionId === region.id) rows.push(figures(f, '    '));
  }
  // Never drop a force silently, even one whose region has no row.
  const regions = new Set(n.regions.map((r) => r.id));
  for (const f of n.forces)
    if (!f.regionId || !regions.has(f.regionId)) rows.push(figures(f, '    '));
  return [
    `National return ${m.year.label}, ${m.basis} basis: ${m.coverage.text} (expected ${m.returns.expected}, received ${m.returns.received}, accepted ${m.returns.accepted}, included ${m.returns.included})`,
    `period ${m.year.firstDay} to ${m.year.lastDay} (${m.year.days} days); generated ${m.generatedAt}; unsuppressed figures: publish through a publication`,
    '',
    ...textTable(HEADER, rows),
    '',
    'crimes: recorded crimes (table A total); online: online-flagged; child sexual: child sexual offences (table B), with their',
    'rapes, victims under 10, youngest and modal victim age, and average per day',
  ];
}
