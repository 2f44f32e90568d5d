import type { AcceptedRow } from '../validate-batch.js';

// The staging table for one import: a temp table dropped at commit, filled by COPY, merged set-based.
export const CREATE_STAGE_SQL = `
  CREATE TEMP TABLE import_stage (
    line integer NOT NULL,
    force_id text NOT NULL,
    crime_reference text NOT NULL,
    offence_code text NOT NULL,
    reported_at timestamptz NOT NULL,
    recorded_at timestamptz NOT NULL,
    offence_from timestamptz NOT NULL,
    offence_to timestamptz,
    online_flag text NOT NULL,
    online_method text,
    online_platform text,
    victim_age smallint,
    victim_sex text NOT NULL,
    suspect_age smallint,
    domestic_abuse boolean NOT NULL,
    hate_strands text[] NOT NULL,
    child_sexual_exploitation boolean NOT NULL,
    child_sexual_abuse boolean NOT NULL,
    status text NOT NULL,
    rule_warnings text[] NOT NULL,
    acknowledged_rules text[] NOT NULL,
    created_changes jsonb NOT NULL
  ) ON COMMIT DROP`;

export const COPY_STAGE_SQL = `COPY import_stage FROM STDIN`;

// COPY text format: tab-separated, \N for NULL, backslash escapes for the characters that would break a line.
function text(v: string | null): string {
  if (v === null) return '\\N';
  return v.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}
const ts = (d: Date | null): string => (d === null ? '\\N' : d.toISOString());
const num = (n: number | null): string => (n === null ? '\\N' : String(n));
const bool = (b: boolean): string => (b ? 't' : 'f');
// Array elements here are codes (rule codes, hate strands): letters, digits, '-' and '_' only.
const arr = (a: readonly string[]): string => `{${a.join(',')}}`;

// History of a new record, built here rather than in SQL (JSON.stringify is far cheaper than jsonb_build_object
// per field per row): every fact as old null -> new value, in the API's shape (ISO instants, sorted arrays).
function createdChanges(row: AcceptedRow): string {
  const c = row.crime;
  const facts: [string, unknown][] = [
    ['offenceCode', c.offenceCode], ['reportedAt', c.reportedAt.toISOString()], ['recordedAt', c.recordedAt.toISOString()],
    ['offenceFrom', c.offenceFrom.toISOString()], ['offenceTo', c.offenceTo?.toISOString() ?? null], ['onlineFlag', c.onlineFlag],
    ['onlineMethod', c.onlineMethod], ['onlinePlatform', c.onlinePlatform], ['victimAge', c.victimAge], ['victimSex', c.victimSex],
    ['suspectAge', c.suspectAge], ['domesticAbuse', c.domesticAbuse], ['hateStrands', [...c.hateStrands].sort()],
    ['childSexualExploitation', c.childSexualExploitation], ['childSexualAbuse', c.childSexualAbuse], ['status', c.status],
  ];
  return JSON.stringify(Object.fromEntries(facts.map(([k, v]) => [k, { old: null, new: v }])));
}

export function stageLine(row: AcceptedRow): string {
  const c = row.crime;
  return [
    String(row.line), text(c.forceId), text(c.crimeReference), text(c.offenceCode), ts(c.reportedAt), ts(c.recordedAt),
    ts(c.offenceFrom), ts(c.offenceTo), text(c.onlineFlag), text(c.onlineMethod), text(c.onlinePlatform), num(c.victimAge),
    text(c.victimSex), num(c.suspectAge), bool(c.domesticAbuse), arr(c.hateStrands), bool(c.childSexualExploitation),
    bool(c.childSexualAbuse), text(c.status), arr(row.warnings), arr(row.acknowledged), text(createdChanges(row)),
  ].join('\t') + '\n';
}
