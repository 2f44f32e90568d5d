// Validation of parsed rows: the importer's force scope, duplicates within the file, then the same
// recording-rules engine as the API. 'block' findings reject a row; 'warn' findings are kept on the record.
// A 'confirm' finding (e.g. CF-AGE-005, under-13 victim on an under-16 code) rejects the row unless the
// row's `acknowledge` column lists its code: the import equivalent of the API's acknowledge field.
import {
  evaluateCrime,
  partitionFindings,
  type RuleContext,
  type RuleFinding,
} from '#libs/recording-rules/core';
import { DuplicateTracker } from './duplicate-tracker.js';
import type { ImportedCrime } from './import-row.js';
import type { ParsedRow } from './parse-stream.js';

export interface ImportScope {
  forces: readonly string[] | 'all'; // force ids the importer may write; 'all' for a national role
}

export interface RowProblem {
  code: string; // IMP-* (shape, scope, duplicate) or CF-* (recording rule)
  message: string;
  field?: string;
}

export interface AcceptedRow {
  status: 'accepted';
  line: number;
  crimeReference: string;
  forceId: string;
  crime: ImportedCrime;
  warnings: string[]; // warn-severity rule codes, stored on the record (rule_warnings)
  acknowledged: string[]; // confirm-severity codes the row acknowledged and that apply (acknowledged_rules)
  findings: RuleFinding[]; // the warn and acknowledged findings in full, for the report or a preview
}

export interface RejectedRow {
  status: 'rejected';
  line: number;
  crimeReference: string | null;
  forceId: string | null;
  problems: RowProblem[];
}

export type RowVerdict = AcceptedRow | RejectedRow;

// Validates one batch. Duplicates are found among the rows this tracker has seen: pass one tracker for a whole
// (small) file, or a fresh one per batch when something else checks across batches (the import service does so
// in SQL, so that memory does not grow with the file).
export function validateBatch(
  rows: readonly ParsedRow[],
  ctx: RuleContext,
  scope: ImportScope,
  duplicates: DuplicateTracker = new DuplicateTracker(),
): RowVerdict[] {
  const allowed =
    scope.forces === 'all' ? null : new Set(scope.forces.map((f) => f.trim().toLowerCase()));
  return rows.map((row) => validateRow(row, ctx, allowed, duplicates));
}

function validateRow(
  row: ParsedRow,
  ctx: RuleContext,
  allowed: Set<string> | null,
  duplicates: DuplicateTracker,
): RowVerdict {
  const problems: RowProblem[] = row.errors.length === 0 ? [] : row.errors.map((e) => ({ ...e }));
  const { line, crimeReference, forceId } = row;
  if (forceId !== null && allowed !== null && !allowed.has(forceId)) {
    problems.push({
      code: 'IMP-SCOPE-001',
      field: 'force_id',
      message: `force ${forceId} is outside your import scope (${[...allowed].join(', ') || 'no forces'})`,
    });
  }
  // Every row with a reference and a force takes part, even a rejected one: two rows claiming the same
  // record make the file ambiguous whichever of them is valid.
  if (forceId !== null && crimeReference !== null) {
    const first = duplicates.firstLine(forceId, crimeReference, line);
    if (first !== null) {
      problems.push(duplicateProblem(forceId, crimeReference, first));
    }
  }
  if (row.crime) {
    const crime = row.crime;
    // The rules read the facts by name; `acknowledge` beside them is not copied away (this runs per imported row).
    const findings = evaluateCrime(crime, ctx);
    if (
      findings.length === 0 &&
      problems.length === 0 &&
      crimeReference !== null &&
      forceId !== null
    ) {
      return {
        status: 'accepted',
        line,
        crimeReference: crime.crimeReference,
        forceId: crime.forceId,
        crime,
        warnings: [],
        acknowledged: [],
        findings,
      };
    }
    const { blocking, unacknowledged, acknowledged, warnings } = partitionFindings(
      findings,
      crime.acknowledge,
    );
    for (const f of blocking) problems.push({ code: f.code, message: f.message });
    for (const f of unacknowledged) {
      problems.push({
        code: f.code,
        message: `${f.message} (to keep the record as it is, add ${f.code} to the acknowledge column)`,
      });
    }
    if (problems.length === 0 && crimeReference !== null && forceId !== null) {
      return {
        status: 'accepted',
        line,
        crimeReference: crime.crimeReference,
        forceId: crime.forceId,
        crime,
        warnings: codes(warnings),
        acknowledged: codes(acknowledged),
        findings: [...warnings, ...acknowledged],
      };
    }
  }
  return { status: 'rejected', line, crimeReference, forceId, problems };
}

// IMP-DUP-001, as the validator reports it within a batch and the import service across batches.
export function duplicateProblem(
  forceId: string,
  crimeReference: string,
  firstLine: number,
): RowProblem {
  return {
    code: 'IMP-DUP-001',
    field: 'crime_reference',
    message: `crime reference ${crimeReference} already appears on line ${firstLine} for force ${forceId}`,
  };
}

const codes = (findings: RuleFinding[]): string[] =>
  findings.length === 0 ? [] : [...new Set(findings.map((f) => f.code))];
