import { formatFinancialYear } from '#libs/recording-rules';
import type { CsvValue } from '#libs/csv';
import type { ReviewItemRow, ReviewReason, ReviewStatus } from './review-items.query.js';

export interface ReviewItemView {
  id: string;
  forceId: string;
  crimeId: string;
  reason: ReviewReason;
  details: Record<string, unknown>;
  addedNote: string | null;
  status: ReviewStatus;
  reviewNote: string | null;
  reviewedAt: Date | null;
  reviewedBy: string | null;
  correctedVersion: number | null;
  version: number;
  createdAt: Date;
  createdBy: string;
  // What the reviewer needs to find and judge the record; the crime's version is what a correction sends.
  crime: {
    crimeReference: string;
    offenceCode: string;
    financialYear: string;
    recordedAt: Date;
    onlineFlag: string;
    onlineMethod: string | null;
    status: string;
    version: number;
    ruleWarnings: string[];
  };
}

export interface ReviewPage {
  items: ReviewItemView[];
  nextCursor: string | null;
}

export function toReviewItemView(r: ReviewItemRow): ReviewItemView {
  return {
    id: r.id,
    forceId: r.force_id,
    crimeId: r.crime_id,
    reason: r.reason,
    details: r.details,
    addedNote: r.added_note,
    status: r.status,
    reviewNote: r.review_note,
    reviewedAt: r.reviewed_at,
    reviewedBy: r.reviewed_by,
    correctedVersion: r.corrected_version,
    version: r.version,
    createdAt: r.created_at,
    createdBy: r.created_by,
    crime: {
      crimeReference: r.crime_reference,
      offenceCode: r.offence_code,
      financialYear: formatFinancialYear(r.financial_year),
      recordedAt: r.recorded_at,
      onlineFlag: r.online_flag,
      onlineMethod: r.online_method,
      status: r.crime_status,
      version: r.crime_version,
      ruleWarnings: r.rule_warnings,
    },
  };
}

export const REVIEW_CSV_HEADER = [
  'item_id',
  'force_id',
  'crime_id',
  'crime_reference',
  'offence_code',
  'financial_year',
  'recorded_at',
  'online_flag',
  'reason',
  'status',
  'added_note',
  'review_note',
  'reviewed_by',
  'reviewed_at',
  'corrected_version',
  'created_at',
] as const;

export function reviewCsvRow(r: ReviewItemRow): CsvValue[] {
  return [
    r.id,
    r.force_id,
    r.crime_id,
    r.crime_reference,
    r.offence_code,
    formatFinancialYear(r.financial_year),
    r.recorded_at.toISOString(),
    r.online_flag,
    r.reason,
    r.status,
    r.added_note,
    r.review_note,
    r.reviewed_by,
    r.reviewed_at?.toISOString() ?? null,
    r.corrected_version,
    r.created_at.toISOString(),
  ];
}
