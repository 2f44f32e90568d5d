// The exported return (docs/return-format.md; schema libs/returns/schema/force-return.schema.json).
// Pure: tables in, the JSON document and the rectangular tables every format writes out.
import type { ForceReturnTables, TableB } from '../../return-tables.js';
import type { RevisionSummary } from '../lifecycle.types.js';

export const EXPORT_SCHEMA_ID = 'https://cyberflag.example/schema/force-return.schema.json';
export const EXPORT_SCHEMA_VERSION = 1;

export interface ExportSource {
  kind: 'draft' | 'revision';
  revision: (RevisionSummary & { verified: boolean }) | null; // null for the live draft
}

export interface ReturnExportDocument extends ForceReturnTables {
  $schema: string;
  schemaVersion: number;
  kind: 'draft' | 'revision';
  revision: {
    revision: number;
    sha256: string;
    verified: boolean;
    submittedAt: string;
    submittedBy: string;
    signedOffName: string;
  } | null;
}

// Single years of age are internal (domain.md §15: not in returns); bands, total and summary remain.
export function publishedTableB(b: TableB): TableB {
  return { ...b, rows: b.rows.filter((r) => r.level !== 'age') };
}

export function exportDocument(
  tables: ForceReturnTables,
  source: ExportSource,
): ReturnExportDocument {
  const r = source.revision;
  return {
    $schema: EXPORT_SCHEMA_ID,
    schemaVersion: EXPORT_SCHEMA_VERSION,
    kind: source.kind,
    revision: r
      ? {
          revision: r.revision,
          sha256: r.sha256,
          verified: r.verified,
          submittedAt: r.submittedAt,
          submittedBy: r.submittedBy,
          signedOffName: r.signedOffName,
        }
      : null,
    metadata: tables.metadata,
    tableA: tables.tableA,
    tableB: publishedTableB(tables.tableB),
    tableC: tables.tableC,
  };
}

export type Cell = string | number | boolean | null;

export interface ExportTable {
  key: 'metadata' | 'A' | 'B' | 'B-summary' | 'C';
  sheet: string; // XLSX sheet name
  file: string; // CSV file name inside the zip
  header: string[];
  rows: Cell[][];
}

export const EXPORT_TABLE_KEYS = ['metadata', 'A', 'B', 'B-summary', 'C'] as const;

export function exportTables(doc: ReturnExportDocument): ExportTable[] {
  const { tableA: a, tableB: b, tableC: c } = doc;
  return [
    {
      key: 'metadata',
      sheet: 'Metadata',
      file: 'metadata.csv',
      header: ['field', 'value'],
      rows: metadataRows(doc),
    },
    {
      key: 'A',
      sheet: 'Table A',
      file: 'table-a.csv',
      header: [
        'level',
        'group',
        'subgroup',
        'offence_code',
        'offence_name',
        'sexual_offence',
        'flag_yes',
        'flag_no',
        'flag_unknown',
        'total',
        'pct_flagged',
      ],
      rows: a.rows.map((r) => [
        r.level,
        r.group,
        r.subgroup,
        r.offenceCode,
        r.offenceName,
        r.sexualOffence,
        r.flagYes,
        r.flagNo,
        r.flagUnknown,
        r.total,
        r.pctFlagged,
      ]),
    },
    {
      key: 'B',
      sheet: 'Table B',
      file: 'table-b.csv',
      header: ['level', 'band', 'female', 'male', 'unknown_sex', 'total', 'rapes'],
      rows: b.rows.map((r) => [r.level, r.band, r.female, r.male, r.unknownSex, r.total, r.rapes]),
    },
    {
      key: 'B-summary',
      sheet: 'Table B summary',
      file: 'table-b-summary.csv',
      header: ['measure', 'value'],
      rows: [
        ['total', b.summary.total],
        ['rapes', b.summary.rapes],
        ['youngest_age', b.summary.youngestAge],
        ['modal_age', b.summary.modalAge],
        ['under_ten', b.summary.underTen],
      ],
    },
    {
      // Long form (section, key, measure, value): C's parts have different shapes.
      key: 'C',
      sheet: 'Table C',
      file: 'table-c.csv',
      header: ['section', 'key', 'measure', 'value'],
      rows: [
        ...Object.entries(c.quality).map(([m, v]): Cell[] => ['quality', null, m, v]),
        ...c.flagChanges.flatMap((r): Cell[][] => [
          ['flag_changes', r.direction, 'changes', r.changes],
          ['flag_changes', r.direction, 'records', r.records],
        ]),
        ...c.removals.flatMap((r): Cell[][] => {
          const key = r.level === 'total' ? 'total' : `${r.status} ${r.category}`;
          return [
            ['removals', key, 'online_flagged', r.onlineFlagged],
            ['removals', key, 'not_online_flagged', r.notOnlineFlagged],
            ['removals', key, 'total', r.total],
          ];
        }),
        ...c.ruleWarnings.flatMap((r): Cell[][] => [
          ['rule_warnings', r.ruleCode, 'records', r.records],
          ['rule_warnings', r.ruleCode, 'online_flagged', r.onlineFlagged],
        ]),
      ],
    },
  ];
}

// Flat field paths: 'year.days', 'definitions.onlineFlag', 'revision.sha256'.
function metadataRows(doc: ReturnExportDocument): Cell[][] {
  const out: Cell[][] = [['kind', doc.kind]];
  const walk = (prefix: string, v: unknown) => {
    if (v !== null && typeof v === 'object')
      for (const [k, x] of Object.entries(v)) walk(prefix ? `${prefix}.${k}` : k, x);
    else out.push([prefix, v as Cell]);
  };
  walk('', doc.metadata);
  if (doc.revision) walk('revision', doc.revision);
  return out;
}
