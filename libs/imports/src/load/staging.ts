import type { AcceptedRow } from '../validate-batch.js';

// The staging table of one batch: a temp table dropped at commit, filled by COPY and merged set-based.
export const CREATE_BATCH_SQL = `
  CREATE TEMP TABLE import_batch (
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
    acknowledged_rules text[] NOT NULL
  ) ON COMMIT DROP`;

export const EMPTY_BATCH_SQL = `TRUNCATE import_batch`;
// When the merge must wait for the end of the file (accept_valid, dry_run), rows are staged here, then merged
// through import_batch a chunk at a time.
export const CREATE_STAGE_SQL = `CREATE TEMP TABLE import_stage (LIKE import_batch) ON COMMIT DROP`;
export const copySql = (table: 'import_batch' | 'import_stage') => `COPY ${table} FROM STDIN`;

// COPY text format: tab-separated, \N for NULL, backslash escapes for the characters that would break a line.
const SPECIAL = /[\\\t\n\r]/;
function text(v: string | null): string {
  if (v === null) return '\\N';
  if (!SPECIAL.test(v)) return v;
  return v.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}
const ts = (d: Date | null): string => (d === null ? '\\N' : d.toISOString());
const num = (n: number | null): string => (n === null ? '\\N' : String(n));
const bool = (b: boolean): string => (b ? 't' : 'f');
// Array elements here are codes (rule codes, hate strands): letters, digits, '-' and '_' only.
const arr = (a: readonly string[]): string => `{${a.join(',')}}`;

export function stageLine(row: AcceptedRow): string {
  const c = row.crime;
  return [
    String(row.line), text(c.forceId), text(c.crimeReference), text(c.offenceCode), ts(c.reportedAt), ts(c.recordedAt),
    ts(c.offenceFrom), ts(c.offenceTo), text(c.onlineFlag), text(c.onlineMethod), text(c.onlinePlatform), num(c.victimAge),
    text(c.victimSex), num(c.suspectAge), bool(c.domesticAbuse), arr(c.hateStrands), bool(c.childSexualExploitation),
    bool(c.childSexualAbuse), text(c.status), arr(row.warnings), arr(row.acknowledged),
  ].join('\t') + '\n';
}

// The COPY text of one batch, kept in a reused Buffer rather than in JS strings: a batch waits while the database
// merges the previous one, and 10,000 rows of strings living that long would be promoted to the old generation as
// garbage, growing the heap with the file. Two of these alternate (one filling, one being loaded).
export class CopyTextBuffer {
  private buf: Buffer;
  private used = 0;

  constructor(initialBytes = 4 * 1024 * 1024) {
    this.buf = Buffer.allocUnsafe(initialBytes);
  }

  get length(): number {
    return this.used;
  }

  append(text: string): void {
    const need = this.used + Buffer.byteLength(text);
    if (need > this.buf.length) {
      const bigger = Buffer.allocUnsafe(Math.max(need, this.buf.length * 2));
      this.buf.copy(bigger, 0, 0, this.used);
      this.buf = bigger;
    }
    this.used += this.buf.write(text, this.used);
  }

  // The bytes written since the last reset; valid until the next append or reset.
  bytes(): Buffer {
    return this.buf.subarray(0, this.used);
  }

  reset(): void {
    this.used = 0;
  }
}
