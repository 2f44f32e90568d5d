// The rule fixtures (a small catalogue and the default config) come from the recording-rules test
// support; it is not part of that lib's barrel, hence the relative path (tests only).
import { testContext } from '#libs/recording-rules/testing';
import { readImportRow, type ImportRowObject } from './import-row.js';
import type { ParsedRow } from './parse-stream.js';
import { validRow } from './testing/import-fixtures.js';
import { DuplicateTracker } from './duplicate-tracker.js';
import { validateBatch, type RejectedRow, type RowVerdict } from './validate-batch.js';

let nextLine = 2;
const parsed = (patch: Partial<ImportRowObject> = {}): ParsedRow => ({
  line: nextLine++,
  ...readImportRow(validRow(patch)),
});
const ctx = testContext();
const all = { forces: 'all' as const };
const codesOf = (v: RowVerdict) => (v.status === 'rejected' ? v.problems.map((p) => p.code) : []);

beforeEach(() => {
  nextLine = 2;
});

describe('validateBatch', () => {
  it('accepts a valid row with no warnings', () => {
    const [verdict] = validateBatch([parsed()], ctx, all);
    expect(verdict).toMatchObject({
      status: 'accepted',
      line: 2,
      crimeReference: 'DBY-2018-000123',
      forceId: 'derbyshire',
      warnings: [],
      acknowledged: [],
    });
  });

  it('keeps warn findings on an accepted row', () => {
    const [verdict] = validateBatch(
      [parsed({ online_method: '', recorded_at: '2018-05-03T12:00:00Z' })],
      ctx,
      all,
    );
    expect(verdict.status).toBe('accepted');
    expect(verdict.status === 'accepted' && verdict.warnings.sort()).toEqual([
      'CF-FLAG-002',
      'CF-TIME-001',
    ]);
  });

  it('rejects a row with blocking rule findings, with codes and messages', () => {
    const [verdict] = validateBatch([parsed({ victim_age: '17' })], ctx, all) as RejectedRow[];
    expect(verdict.status).toBe('rejected');
    expect(verdict.problems).toEqual([
      {
        code: 'CF-AGE-002',
        message: 'Offence 71/17 requires a victim aged under 16 at the offence date; victim is 17',
      },
    ]);
  });

  it("rejects a 'confirm' finding unless the row acknowledges it", () => {
    const row = {
      offence_code: '19D',
      victim_age: '12',
      online_flag: 'N',
      online_method: '',
      suspect_age: '',
    };
    const [refused] = validateBatch([parsed(row)], ctx, all);
    expect(codesOf(refused)).toEqual(['CF-AGE-005']);
    expect((refused as RejectedRow).problems[0].message).toContain(
      'add CF-AGE-005 to the acknowledge column',
    );
    const [accepted] = validateBatch([parsed({ ...row, acknowledge: 'CF-AGE-005' })], ctx, all);
    expect(accepted).toMatchObject({ status: 'accepted', acknowledged: ['CF-AGE-005'] });
  });

  it('does not let acknowledge override a blocking rule', () => {
    const [verdict] = validateBatch(
      [parsed({ victim_age: '17', acknowledge: 'CF-AGE-002' })],
      ctx,
      all,
    );
    expect(codesOf(verdict)).toEqual(['CF-AGE-002']);
  });

  it('rejects rows with field errors without running the rules', () => {
    const [verdict] = validateBatch([parsed({ reported_at: 'soon' })], ctx, all);
    expect(verdict).toMatchObject({
      status: 'rejected',
      crimeReference: 'DBY-2018-000123',
      forceId: 'derbyshire',
    });
    expect(codesOf(verdict)).toEqual(['IMP-FIELD-001']);
  });

  it("rejects a row outside the importer's force scope with IMP-SCOPE-001", () => {
    const rows = [parsed(), parsed({ crime_reference: 'NOT-1', force_id: 'nottinghamshire' })];
    const verdicts = validateBatch(rows, ctx, { forces: ['Derbyshire'] });
    expect(verdicts.map((v) => v.status)).toEqual(['accepted', 'rejected']);
    expect(verdicts[1]).toMatchObject({
      problems: [
        {
          code: 'IMP-SCOPE-001',
          field: 'force_id',
          message: 'force nottinghamshire is outside your import scope (derbyshire)',
        },
      ],
    });
  });

  it('rejects the later of two rows with the same reference in the same force (IMP-DUP-001)', () => {
    const rows = [
      parsed(),
      parsed({ crime_reference: 'DBY-2018-000123', force_id: 'nottinghamshire' }), // another force: fine
      parsed({ victim_age: '15' }),
    ];
    const verdicts = validateBatch(rows, ctx, all);
    expect(verdicts.map((v) => v.status)).toEqual(['accepted', 'accepted', 'rejected']);
    expect((verdicts[2] as RejectedRow).problems).toEqual([
      {
        code: 'IMP-DUP-001',
        field: 'crime_reference',
        message: 'crime reference DBY-2018-000123 already appears on line 2 for force derbyshire',
      },
    ]);
  });

  it('counts a rejected row as the first use of its reference', () => {
    const verdicts = validateBatch([parsed({ victim_age: '17' }), parsed()], ctx, all);
    expect(verdicts.map(codesOf)).toEqual([['CF-AGE-002'], ['IMP-DUP-001']]);
  });

  it('finds duplicates across batches that share a tracker', () => {
    const seen = new DuplicateTracker();
    const first = validateBatch([parsed(), parsed({ crime_reference: 'X-2' })], ctx, all, seen);
    const [again] = validateBatch([parsed({ crime_reference: 'X-2' })], ctx, all, seen);
    expect(first.map((v) => v.status)).toEqual(['accepted', 'accepted']);
    expect(codesOf(again)).toEqual(['IMP-DUP-001']);
  });

  it('lists scope, duplicate and rule problems of one row together', () => {
    const seen = new DuplicateTracker();
    validateBatch([parsed()], ctx, { forces: [] }, seen);
    const [verdict] = validateBatch([parsed({ victim_age: '17' })], ctx, { forces: [] }, seen);
    expect(codesOf(verdict)).toEqual(['IMP-SCOPE-001', 'IMP-DUP-001', 'CF-AGE-002']);
  });
});
