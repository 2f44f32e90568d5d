// Disclosure-control configuration, chosen per publication (domain.md §11, §15).

/** When a suppressed entry counts as protected against the exact attacker (see README). */
export interface ProtectionRule {
  /**
   * The attacker's feasible range [min, max] must satisfy max − min ≥ minimumWidth.
   * Default 1: the range holds at least one value other than the true one.
   */
  readonly minimumWidth?: number;
  /**
   * For primary-suppressed entries, the range must also contain a value that would NOT have been
   * suppressed (0 when zeros are publishable, or ≥ threshold), so the reader cannot even tell the
   * count is a small non-zero one. Default true.
   */
  readonly requireNonSensitiveValue?: boolean;
  /**
   * Protection levels of a primary-suppressed entry (tau-ARGUS's lower and upper protection levels): the
   * attacker's range must reach down to max(0, value − lower) and up to value + upper. Default: the threshold
   * on each side.
   */
  readonly lower?: number;
  readonly upper?: number;
}

/** How secondary suppressions are chosen (see README). */
export type SecondaryMethod = 'optimal' | 'greedy';
/** What a secondary suppression costs: its value (tau-ARGUS's default), or one per figure. */
export type SuppressionCost = 'value' | 'cells';

interface CommonConfig {
  /** Apply secondary suppression (default true). */
  readonly secondary?: boolean;
  /** Treat true zeros as sensitive and suppress them too (default false: 0 is published as 0). */
  readonly suppressZeros?: boolean;
  /** Apply the primary rule to row, column and grand totals as well (default true). */
  readonly suppressSmallTotals?: boolean;
  readonly protection?: ProtectionRule;
  /** 'optimal' (default): least-cost complementary suppression by a MIP (HiGHS); 'greedy': the older heuristic. */
  readonly secondaryMethod?: SecondaryMethod;
  /** What the optimal method minimises (default 'value'). */
  readonly cost?: SuppressionCost;
  /** Wall-clock limit for the optimal method, in seconds (default 10); past it the greedy method is used. */
  readonly timeLimitSeconds?: number;
}

/** FOI practice: counts 1..threshold−1 shown as "[c]" (default threshold 5, i.e. 1–4). */
export interface ThresholdConfig extends CommonConfig {
  readonly method: 'threshold';
  readonly threshold?: number;
}

/** ONS 10-5 rule: suppress counts below 10, round every other published count to the nearest 5. */
export interface Ons105Config extends CommonConfig {
  readonly method: 'ons-10-5';
}

export type DisclosureConfig = ThresholdConfig | Ons105Config;

export type DisclosureMethod = DisclosureConfig['method'];

export interface ResolvedDisclosureConfig {
  readonly method: DisclosureMethod;
  /** Counts 1..threshold−1 (and 0 if suppressZeros) are primary-suppressed. */
  readonly threshold: number;
  /** Published counts are rounded to a multiple of this (1 = exact). */
  readonly roundingBase: number;
  readonly suppressZeros: boolean;
  readonly suppressSmallTotals: boolean;
  readonly secondary: boolean;
  readonly protection: Required<ProtectionRule>;
  readonly secondaryMethod: SecondaryMethod;
  readonly cost: SuppressionCost;
  readonly timeLimitSeconds: number;
}

export const DEFAULT_THRESHOLD = 5;
export const ONS_THRESHOLD = 10;
export const ONS_ROUNDING_BASE = 5;

export const DEFAULT_DISCLOSURE_CONFIG: ThresholdConfig = {
  method: 'threshold',
  threshold: DEFAULT_THRESHOLD,
};

export function resolveDisclosureConfig(
  config: DisclosureConfig = DEFAULT_DISCLOSURE_CONFIG,
): ResolvedDisclosureConfig {
  const threshold =
    config.method === 'threshold' ? (config.threshold ?? DEFAULT_THRESHOLD) : ONS_THRESHOLD;
  if (!Number.isSafeInteger(threshold) || threshold < 1) {
    throw new RangeError(`threshold must be a positive integer, got ${threshold}`);
  }
  const minimumWidth = config.protection?.minimumWidth ?? 1;
  if (!(minimumWidth >= 1)) {
    throw new RangeError(`protection.minimumWidth must be at least 1, got ${minimumWidth}`);
  }
  const level = (v: number | undefined, name: string) => {
    const x = v ?? threshold;
    if (!Number.isSafeInteger(x) || x < 0)
      throw new RangeError(`protection.${name} must be a non-negative integer, got ${x}`);
    return x;
  };
  const lower = level(config.protection?.lower, 'lower');
  const upper = level(config.protection?.upper, 'upper');
  const timeLimitSeconds = config.timeLimitSeconds ?? 10;
  if (!(timeLimitSeconds > 0 && timeLimitSeconds <= 600))
    throw new RangeError(`timeLimitSeconds must be in (0, 600], got ${timeLimitSeconds}`);
  const secondaryMethod = config.secondaryMethod ?? 'optimal';
  if (secondaryMethod !== 'optimal' && secondaryMethod !== 'greedy')
    throw new RangeError(
      `secondaryMethod must be optimal or greedy, got ${String(secondaryMethod)}`,
    );
  const cost = config.cost ?? 'value';
  if (cost !== 'value' && cost !== 'cells')
    throw new RangeError(`cost must be value or cells, got ${String(cost)}`);
  return {
    method: config.method,
    threshold,
    roundingBase: config.method === 'ons-10-5' ? ONS_ROUNDING_BASE : 1,
    suppressZeros: config.suppressZeros ?? false,
    suppressSmallTotals: config.suppressSmallTotals ?? true,
    secondary: config.secondary ?? true,
    protection: {
      minimumWidth,
      requireNonSensitiveValue: config.protection?.requireNonSensitiveValue ?? true,
      lower,
      upper,
    },
    secondaryMethod,
    cost,
    timeLimitSeconds,
  };
}

/** True when a true count must be primary-suppressed under this configuration. */
export function isSensitiveCount(value: number, config: ResolvedDisclosureConfig): boolean {
  return value === 0 ? config.suppressZeros : value < config.threshold;
}

/** Rounds to the nearest multiple of base (halves up; integer counts never tie for base 5). */
export function roundToBase(value: number, base: number): number {
  if (base === 1) return value;
  return Math.floor((value + base / 2) / base) * base;
}

/**
 * What a reader knows about the true value behind a published (non-suppressed) count:
 * the inclusive interval of true values that would have been published as `published`.
 * Exact publication gives [v, v]. With rounding to base b the true value is within ⌊b/2⌋ of the
 * published one; when the entry is subject to primary suppression, smaller counts would have been
 * suppressed, so a non-zero published value also means a true value ≥ threshold, and a published 0
 * means a true 0 (1 and 2 would have been suppressed). `subjectToPrimary` is false for totals when
 * `suppressSmallTotals` is off.
 */
export function publishedInterval(
  published: number,
  config: ResolvedDisclosureConfig,
  subjectToPrimary = true,
): { lo: number; hi: number } {
  if (config.roundingBase === 1) return { lo: published, hi: published };
  const half = Math.floor((config.roundingBase - 1) / 2);
  if (!subjectToPrimary) return { lo: Math.max(0, published - half), hi: published + half };
  if (published === 0) return { lo: 0, hi: 0 };
  return { lo: Math.max(published - half, config.threshold), hi: published + half };
}

/**
 * How far the attacker's range must reach on each side of a suppressed entry's true value: for a primary
 * entry down to max(0, value − lower) and up to value + upper (raised, where needed, so that the range holds
 * a value that would not have been suppressed and is at least minimumWidth wide); for any other suppressed
 * entry only the width.
 */
export function protectionNeed(
  value: number,
  primary: boolean,
  config: ResolvedDisclosureConfig,
): { down: number; up: number; width: number } {
  const { protection, suppressZeros, threshold } = config;
  if (!primary) return { down: 0, up: 0, width: protection.minimumWidth };
  const down = Math.min(protection.lower, value);
  let up = protection.upper;
  // min = 0 shows a publishable 0 unless zeros are suppressed; otherwise the range must reach the threshold.
  if (protection.requireNonSensitiveValue && !(down === value && !suppressZeros))
    up = Math.max(up, threshold - value);
  up = Math.max(up, protection.minimumWidth - down);
  return { down, up, width: protection.minimumWidth };
}

/** Whether the attacker's range for a suppressed entry meets the protection rule (README, "Protected"). */
export function isProtectedRange(
  range: { min: number; max: number },
  value: number,
  primary: boolean,
  config: ResolvedDisclosureConfig,
): boolean {
  const { protection, suppressZeros, threshold } = config;
  if (!(range.max - range.min >= protection.minimumWidth)) return false;
  if (!primary) return true;
  if (range.min > Math.max(0, value - protection.lower) || range.max < value + protection.upper)
    return false;
  if (protection.requireNonSensitiveValue)
    return (range.min === 0 && !suppressZeros) || range.max >= threshold;
  return true;
}
