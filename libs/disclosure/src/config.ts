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
}

interface CommonConfig {
  /** Apply secondary suppression (default true). */
  readonly secondary?: boolean;
  /** Treat true zeros as sensitive and suppress them too (default false: 0 is published as 0). */
  readonly suppressZeros?: boolean;
  /** Apply the primary rule to row, column and grand totals as well (default true). */
  readonly suppressSmallTotals?: boolean;
  readonly protection?: ProtectionRule;
}

/** FOI practice: counts 1..threshold−1 shown as "*" (default threshold 5, i.e. 1–4). */
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
}

export const DEFAULT_THRESHOLD = 5;
export const ONS_THRESHOLD = 10;
export const ONS_ROUNDING_BASE = 5;

export const DEFAULT_DISCLOSURE_CONFIG: ThresholdConfig = { method: 'threshold', threshold: DEFAULT_THRESHOLD };

export function resolveDisclosureConfig(config: DisclosureConfig = DEFAULT_DISCLOSURE_CONFIG): ResolvedDisclosureConfig {
  const threshold = config.method === 'threshold' ? (config.threshold ?? DEFAULT_THRESHOLD) : ONS_THRESHOLD;
  if (!Number.isSafeInteger(threshold) || threshold < 1) {
    throw new RangeError(`threshold must be a positive integer, got ${threshold}`);
  }
  const minimumWidth = config.protection?.minimumWidth ?? 1;
  if (!(minimumWidth >= 1)) {
    throw new RangeError(`protection.minimumWidth must be at least 1, got ${minimumWidth}`);
  }
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
    },
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
