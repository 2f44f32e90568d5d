import { randomFillSync } from 'node:crypto';
import { v7 as uuidV7 } from 'uuid';
import { CRIME_FIELDS, crimeFieldColumnsSql, type CrimeFieldKind } from '#libs/crimes/core';
import type { ImportedCrime } from '../import-row.js';
import type { AcceptedRow } from '../validate-batch.js';

// The staging table of one batch: a temp table dropped at commit, filled by COPY and merged set-based.
// id: the record's id if the row creates one, a UUID v7 made by the parse worker (crimes.id's default makes the
// same kind, at ~3.7 µs a row of the database's time; the worker has a core of its own).
// The crime's columns come from its field list (libs/crimes, crime-fields.ts), in that order.
export const CREATE_BATCH_SQL = `
  CREATE TEMP TABLE import_batch (
    line integer NOT NULL,
    id uuid NOT NULL,
    ${crimeFieldColumnsSql()},
    rule_warnings text[] NOT NULL,
    acknowledged_rules text[] NOT NULL
  ) ON COMMIT DROP`;

export const EMPTY_BATCH_SQL = `TRUNCATE import_batch`;
// When the merge must wait for the end of the file (accept_valid, dry_run), rows are staged here, then merged
// through import_batch a chunk at a time.
export const CREATE_STAGE_SQL = `CREATE TEMP TABLE import_stage (LIKE import_batch) ON COMMIT DROP`;
export const copySql = (table: 'import_batch' | 'import_stage') =>
  `COPY ${table} FROM STDIN (FORMAT binary)`;

// COPY's binary format (PostgreSQL docs, "COPY", Binary Format): no text to parse on the server (timestamps above
// all), and no ISO strings to build here. Each batch is one complete COPY stream: header, rows, trailer.
const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
const PG_EPOCH_MS = Date.UTC(2000, 0, 1); // timestamptz travels as microseconds since 2000-01-01 UTC
const TEXT_OID = 25;
const FIELDS = 2 + CRIME_FIELDS.length + 2; // line, id, the crime's fields, warnings and acknowledgements
// Random bytes for ids, 4,096 ids' worth at a time: the library's default asks the system for 16 bytes per id,
// ~12 µs a call here (more than parsing and validating the row).
const RANDOM_POOL_IDS = 4096;

export class CopyBinaryBuffer {
  private buf: Buffer;
  private used = 0;
  private count = 0;
  private readonly random = Buffer.allocUnsafe(16 * RANDOM_POOL_IDS);
  private randomUsed = this.random.length;

  constructor(initialBytes = 4 * 1024 * 1024) {
    this.buf = Buffer.allocUnsafe(initialBytes);
    this.reset();
  }

  get rows(): number {
    return this.count;
  }

  reset(): void {
    this.used = 0;
    this.count = 0;
    this.ensure(SIGNATURE.length + 8);
    this.used += SIGNATURE.copy(this.buf, this.used);
    this.int32(0); // flags
    this.int32(0); // header extension length
  }

  append(row: AcceptedRow): void {
    const c = row.crime;
    this.ensure(2);
    this.used = this.buf.writeInt16BE(FIELDS, this.used);
    this.field4(row.line);
    this.uuidV7();
    writeCrimeFields(this, c);
    this.textArray(row.warnings);
    this.textArray(row.acknowledged);
    this.count++;
  }

  // The whole stream (with its trailer) as its own bytes, for a COPY ... (FORMAT binary).
  finish(): Uint8Array {
    this.ensure(2);
    const end = this.buf.writeInt16BE(-1, this.used);
    return this.buf.subarray(0, end).slice();
  }

  private ensure(bytes: number): void {
    if (this.used + bytes <= this.buf.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.used + bytes, this.buf.length * 2));
    this.buf.copy(bigger, 0, 0, this.used);
    this.buf = bigger;
  }

  private int32(v: number): void {
    this.ensure(4);
    this.used = this.buf.writeInt32BE(v, this.used);
  }

  private field4(v: number): void {
    this.int32(4);
    this.int32(v);
  }

  private text(v: string | null): void {
    if (v === null) return this.int32(-1);
    this.ensure(4 + v.length * 3); // UTF-8 needs at most 3 bytes per UTF-16 unit
    const written = this.buf.write(v, this.used + 4, 'utf8');
    this.buf.writeInt32BE(written, this.used);
    this.used += 4 + written;
  }

  // Time-ordered to the millisecond, random within it (as crimes.id's default, uuid_v7()).
  private uuidV7(): void {
    if (this.randomUsed === this.random.length) {
      randomFillSync(this.random);
      this.randomUsed = 0;
    }
    this.int32(16);
    this.ensure(16);
    uuidV7(
      { random: this.random.subarray(this.randomUsed, (this.randomUsed += 16)) },
      this.buf,
      this.used,
    );
    this.used += 16;
  }

  private timestamp(d: Date | null): void {
    if (d === null) return this.int32(-1);
    const us = (d.getTime() - PG_EPOCH_MS) * 1000; // within ±2^53 for any date in range
    const hi = Math.floor(us / 0x1_0000_0000);
    this.int32(8);
    this.ensure(8);
    this.used = this.buf.writeInt32BE(hi, this.used);
    this.used = this.buf.writeUInt32BE(us - hi * 0x1_0000_0000, this.used);
  }

  private smallint(v: number | null): void {
    if (v === null) return this.int32(-1);
    this.int32(2);
    this.ensure(2);
    this.used = this.buf.writeInt16BE(v, this.used);
  }

  private bool(v: boolean): void {
    this.int32(1);
    this.ensure(1);
    this.used = this.buf.writeUInt8(v ? 1 : 0, this.used);
  }

  // One-dimensional text[] without nulls: ndim, has-nulls flag, element type, then size and lower bound.
  private textArray(values: readonly string[]): void {
    const start = this.used;
    this.int32(0); // length, filled in below
    if (values.length === 0) {
      this.int32(0);
      this.int32(0);
      this.int32(TEXT_OID);
    } else {
      this.int32(1);
      this.int32(0);
      this.int32(TEXT_OID);
      this.int32(values.length);
      this.int32(1);
      for (const v of values) this.text(v);
    }
    this.buf.writeInt32BE(this.used - start - 4, start);
  }
}

// The writer of a crime's fields in CRIME_FIELDS order, built once when the module loads: straight-line code as
// it was written by hand before, so no list is walked and no field looked up by name for each of a million rows.
// The source is made from our own constant list (property names and method names only); it calls the private
// writers, which TypeScript's `private` does not hide at run time.
const WRITE: Record<CrimeFieldKind, string> = {
  text: 'text',
  timestamp: 'timestamp',
  smallint: 'smallint',
  boolean: 'bool',
  'text[]': 'textArray',
};
// eslint-disable-next-line @typescript-eslint/no-implied-eval
const writeCrimeFields = new Function(
  'b',
  'c',
  CRIME_FIELDS.map((f) => `b.${WRITE[f.kind]}(c.${f.key});`).join('\n'),
) as (b: CopyBinaryBuffer, c: ImportedCrime) => void;
