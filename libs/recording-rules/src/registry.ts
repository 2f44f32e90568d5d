// The rule registry: which rules exist, which apply to a record, and with what severity.
// Rules are pure; the config (ctx.config) switches and re-severities them (domain.md §14 preamble).
import { financialYearOf } from './financial-year.js';
import type {
  CancellationFacts,
  CancellationRule,
  Check,
  CrimeFacts,
  CrimeRule,
  ReclassificationFacts,
  ReclassificationRule,
  RecordingRule,
  RuleContext,
  RuleFinding,
  RulesConfig,
  Severity,
} from './rule.js';
import { actionFraudOutOfScopeRule } from './rules/action-fraud-out-of-scope.rule.js';
import { ageRangeRule } from './rules/age-range.rule.js';
import { aggravatedHateStrandRule } from './rules/aggravated-hate-strand.rule.js';
import { cancellationInsufficientReasonRule } from './rules/cancellation-insufficient-reason.rule.js';
import { cancellationReasonRule } from './rules/cancellation-reason.rule.js';
import { cancellationRoleRule } from './rules/cancellation-role.rule.js';
import { childExploitationAgeRule } from './rules/child-exploitation-age.rule.js';
import { dateOrderRule } from './rules/date-order.rule.js';
import { dateRangeRule } from './rules/date-range.rule.js';
import { domesticAbuseAgeRule } from './rules/domestic-abuse-age.rule.js';
import { forceValidRule } from './rules/force-valid.rule.js';
import { hateStrandsRule } from './rules/hate-strands.rule.js';
import { imageChildAgeRule } from './rules/image-child-age.rule.js';
import { offenceContinuesAfterReportRule } from './rules/offence-continues-after-report.rule.js';
import { offenceCodeInForceRule } from './rules/offence-code-in-force.rule.js';
import { offenceCodeKnownRule } from './rules/offence-code-known.rule.js';
import { offenderAgeRule } from './rules/offender-age.rule.js';
import { onlineFlagFinalRule } from './rules/online-flag-final.rule.js';
import { onlineMethodRule } from './rules/online-method.rule.js';
import { principalCrimeRule } from './rules/principal-crime.rule.js';
import { reclassificationRule } from './rules/reclassification.rule.js';
import { timelinessRule } from './rules/timeliness.rule.js';
import { under13AlternativeRule } from './rules/under-13-alternative.rule.js';
import { usuallyOnlineRule } from './rules/usually-online.rule.js';
import { victimAgeUnknownRule } from './rules/victim-age-unknown.rule.js';
import { victimMinimumAgeRule } from './rules/victim-minimum-age.rule.js';
import { victimSexUnknownRule } from './rules/victim-sex-unknown.rule.js';
import { victimSexRule } from './rules/victim-sex.rule.js';
import { victimUnder13Rule } from './rules/victim-under-13.rule.js';
import { victimUnder16Rule } from './rules/victim-under-16.rule.js';
import { victimUnder18Rule } from './rules/victim-under-18.rule.js';

export const CRIME_RULES: readonly CrimeRule[] = [
  offenceCodeKnownRule,
  offenceCodeInForceRule,
  actionFraudOutOfScopeRule,
  forceValidRule,
  dateOrderRule,
  offenceContinuesAfterReportRule,
  dateRangeRule,
  timelinessRule,
  ageRangeRule,
  victimUnder13Rule,
  victimUnder16Rule,
  victimUnder18Rule,
  imageChildAgeRule,
  victimMinimumAgeRule,
  under13AlternativeRule,
  victimAgeUnknownRule,
  victimSexRule,
  victimSexUnknownRule,
  offenderAgeRule,
  onlineFlagFinalRule,
  onlineMethodRule,
  usuallyOnlineRule,
  domesticAbuseAgeRule,
  childExploitationAgeRule,
  hateStrandsRule,
  aggravatedHateStrandRule,
  principalCrimeRule,
];
export const CANCELLATION_RULES: readonly CancellationRule[] = [
  cancellationReasonRule,
  cancellationRoleRule,
  cancellationInsufficientReasonRule,
];
export const RECLASSIFICATION_RULES: readonly ReclassificationRule[] = [reclassificationRule];
export const ALL_RULES: readonly RecordingRule[] = [
  ...CRIME_RULES,
  ...CANCELLATION_RULES,
  ...RECLASSIFICATION_RULES,
];

export interface RuleDescription {
  code: string;
  subject: RecordingRule['subject'];
  severity: Severity; // effective, after the config
  enabled: boolean;
  message: string;
  reference: string;
  basis: RecordingRule['basis'];
  fromYear: number | null;
  toYear: number | null;
}

// For GET /rules: what is enforced, as configured.
export function describeRules(config: RulesConfig): RuleDescription[] {
  return ALL_RULES.map((rule) => {
    const { enabled, severity } = effectiveSetting(rule, config);
    const { code, subject, message, reference, basis, fromYear, toYear } = rule;
    return { code, subject, severity, enabled, message, reference, basis, fromYear, toYear };
  });
}

// Rules apply to the counting year the record is recorded in (R27; HOCR changes take effect on
// 1 April, domain.md §9). An invalid recorded date has no year: every enabled rule then runs, and
// CF-DATE-001 reports the date.
export function evaluateCrime(crime: CrimeFacts, ctx: RuleContext): RuleFinding[] {
  const year = Number.isNaN(crime.recordedAt.getTime()) ? null : financialYearOf(crime.recordedAt);
  return run(CRIME_RULES, crime, ctx, year);
}

// Cancellation and reclassification rules are year-scoped only when the decision date is given.
export function evaluateCancellation(
  request: CancellationFacts,
  ctx: RuleContext,
  decidedAt?: Date,
): RuleFinding[] {
  return run(CANCELLATION_RULES, request, ctx, decidedAt ? financialYearOf(decidedAt) : null);
}

export function evaluateReclassification(
  request: ReclassificationFacts,
  ctx: RuleContext,
  decidedAt?: Date,
): RuleFinding[] {
  return run(RECLASSIFICATION_RULES, request, ctx, decidedAt ? financialYearOf(decidedAt) : null);
}

export interface PartitionedFindings {
  blocking: RuleFinding[];
  unacknowledged: RuleFinding[]; // 'confirm' findings the user has not acknowledged
  acknowledged: RuleFinding[]; // 'confirm' findings the user accepted: worth keeping for audit
  warnings: RuleFinding[]; // 'warn' findings: stored on the record
}

// A service refuses (422) when blocking or unacknowledged is non-empty, and stores warnings.
export function partitionFindings(
  findings: RuleFinding[],
  acknowledged: string[],
): PartitionedFindings {
  const result: PartitionedFindings = {
    blocking: [],
    unacknowledged: [],
    acknowledged: [],
    warnings: [],
  };
  for (const finding of findings) {
    if (finding.severity === 'block') result.blocking.push(finding);
    else if (finding.severity === 'warn') result.warnings.push(finding);
    else if (acknowledged.includes(finding.code)) result.acknowledged.push(finding);
    else result.unacknowledged.push(finding);
  }
  return result;
}

function effectiveSetting(
  rule: RecordingRule,
  config: RulesConfig,
): { enabled: boolean; severity: Severity } {
  const setting = config.settings[rule.code];
  return { enabled: setting?.enabled ?? true, severity: setting?.severity ?? rule.severity };
}

function appliesIn(rule: RecordingRule, year: number | null): boolean {
  if (year === null) return true;
  return (
    (rule.fromYear === null || year >= rule.fromYear) &&
    (rule.toYear === null || year <= rule.toYear)
  );
}

function run<T>(
  rules: readonly (RecordingRule & { check: Check<T> })[],
  subject: T,
  ctx: RuleContext,
  year: number | null,
): RuleFinding[] {
  const findings: RuleFinding[] = [];
  for (const rule of rules) {
    // Read inline, not through effectiveSetting(): this runs per rule per imported row.
    const setting = ctx.config.settings[rule.code];
    if (setting?.enabled === false || !appliesIn(rule, year)) continue;
    const result = rule.check(subject, ctx);
    if (result === null) continue;
    const severity = setting?.severity ?? rule.severity;
    const extra = result === true ? {} : result;
    findings.push({
      code: rule.code,
      severity,
      message: extra.message ?? rule.message,
      reference: rule.reference,
      ...(extra.details && { details: extra.details }),
    });
  }
  return findings;
}
