// Tunable thresholds of the auditor workspace. They are judgements, not counting rules, so they are data:
// AuditingModule.register({ ... }) overrides them per deployment.
export interface AuditingConfig {
  // "Flag changed late": a yes <-> no change made more than this many days after the record was recorded
  // (issue 7 §3). 30 days is a design choice: long after the NCRS 24 h recording limit (R10).
  lateFlagChangeDays: number;
  // Under-use: a force-group comparison is ranked only when the force AND the rest of the country each have
  // at least this many records. n >= 30 is the usual rule of thumb for the normal approximation behind
  // the two-proportion z-score; below it the score is shown but not ranked.
  underUseMinRecords: number;
  // Under-use outliers: z at or below this (two-sided 5% level, under-use direction only).
  underUseZThreshold: number;
}

export const defaultAuditingConfig: AuditingConfig = {
  lateFlagChangeDays: 30,
  underUseMinRecords: 30,
  underUseZThreshold: -1.959964,
};

export const AUDITING_CONFIG = Symbol('AUDITING_CONFIG');
