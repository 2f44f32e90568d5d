// Extreme values (youngest or oldest victim age, the single largest case…) identify people when few
// are involved: Northamptonshire Police withheld "the youngest victim" under FOIA s.40(2)
// (domain.md §11, §15). Publish such a value only when enough units share it.

import { resolveDisclosureConfig, type DisclosureConfig } from './config.js';

export interface ExtremeValue<T> {
  /** The statistic, e.g. the youngest victim age; null when there is none. */
  readonly value: T | null;
  /** How many units (victims, crimes) share the extreme value, e.g. victims of that youngest age. */
  readonly count: number;
  /** Optional size of the whole group the extreme is taken over (e.g. all victims in the force). */
  readonly populationCount?: number;
}

/**
 * Returns the value when it is safe to publish, otherwise null: null when `count` (or
 * `populationCount`, if given) is below the publication's threshold (5 by default, 10 for ONS 10-5).
 */
export function suppressExtremes<T>(extreme: ExtremeValue<T>, config?: DisclosureConfig): T | null {
  const { threshold } = resolveDisclosureConfig(config);
  for (const n of [extreme.count, extreme.populationCount]) {
    if (n !== undefined && (!Number.isSafeInteger(n) || n < 0)) {
      throw new RangeError(`counts must be non-negative integers, got ${n}`);
    }
  }
  if (extreme.value === null) return null;
  if (extreme.count < threshold) return null;
  if (extreme.populationCount !== undefined && extreme.populationCount < threshold) return null;
  return extreme.value;
}
