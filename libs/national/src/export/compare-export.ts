// Year on year as CSV (long form: one row per area and measure, then the forces left out with the reason),
// through the national exports' CSV writer (RFC 4180, formula-injection guard, UTF-8 BOM).
import type { AreaChange, YearComparison } from '../compare.js';
import { CONTENT_TYPES, toCsv, type ExportFile } from './files.js';

export const COMPARE_CSV_HEADER = [
  'level',
  'area_id',
  'area',
  'coverage',
  'measure',
  'base_year',
  'base',
  'year',
  'current',
  'change',
  'pct_change',
  'note',
] as const;

export function compareCsvRows(c: YearComparison): unknown[][] {
  const base = c.metadata.otherYear.label;
  const year = c.metadata.year.label;
  const area = (a: AreaChange) =>
    a.measures.map((m) => [
      a.level,
      a.id,
      a.name,
      a.coverage.text,
      m.measure,
      base,
      m.base,
      year,
      m.current,
      m.change,
      m.pctChange,
      m.measure === 'pctFlagged' ? 'change in percentage points' : '',
    ]);
  return [
    ...area(c.national),
    ...c.regions.flatMap(area),
    ...c.forces.flatMap(area),
    ...c.forcesExcluded.map((f) => [
      'force',
      f.forceId,
      f.forceName,
      '',
      'excluded',
      base,
      '',
      year,
      '',
      '',
      '',
      f.reason,
    ]),
  ];
}

export function exportComparison(c: YearComparison): ExportFile {
  return {
    filename: `national-${c.metadata.year.label}-vs-${c.metadata.otherYear.label}.csv`,
    contentType: CONTENT_TYPES.csv,
    body: Buffer.from(toCsv(COMPARE_CSV_HEADER, compareCsvRows(c))),
  };
}
