// Under-use detection (issue 7 §2): a force's online-flag rate for an offence group against the
// rest of England and Wales for the same group and year.
//
// The force is compared with the REST of the country (national minus the force), not with the
// national total: the national figure contains the force's own records, so comparing with it
// would count them on both sides and pull the score towards zero (most for large forces).
//   p1 = x1 / n1 (force), p2 = x2 / n2 with x2 = X - x1, n2 = N - n1 (rest of country)
//   pooled p = (x1 + x2) / (n1 + n2) = X / N
//   SE = √(p (1 - p) (1/n1 + 1/n2)),  z = (p1 - p2) / SE
//   p-value (two-sided) = P(|Z| >= |z|) = erfc(|z| / √2)   (erfc: see normal.ts)
// Negative z: the force flags less than the rest of the country. When every record (or none)
// is flagged, SE = 0 and the two rates are equal: z = 0, p-value = 1.
import { twoSidedPValue } from './normal.js';

export interface RateCounts {
  flagged: number;
  total: number;
}

export interface RestOfCountryComparison {
  forceRate: number; // p1
  restRate: number; // p2
  nationalRate: number; // X / N, also the pooled rate
  standardError: number;
  z: number;
  pValue: number;
}

/** null when the force or the rest of the country has no records (nothing to compare). */
export function compareWithRestOfCountry(
  force: RateCounts,
  national: RateCounts,
): RestOfCountryComparison | null {
  assertCounts('force', force);
  assertCounts('national', national);
  if (force.flagged > national.flagged || force.total > national.total) {
    throw new RangeError('force counts cannot exceed the national counts that include them');
  }
  const rest = { flagged: national.flagged - force.flagged, total: national.total - force.total };
  if (rest.flagged > rest.total)
    throw new RangeError('the rest of the country has more flagged records than records');
  if (force.total === 0 || rest.total === 0) return null;
  const p1 = force.flagged / force.total;
  const p2 = rest.flagged / rest.total;
  const pooled = national.flagged / national.total;
  const standardError = Math.sqrt(pooled * (1 - pooled) * (1 / force.total + 1 / rest.total));
  const z = standardError === 0 ? 0 : (p1 - p2) / standardError;
  return {
    forceRate: p1,
    restRate: p2,
    nationalRate: pooled,
    standardError,
    z,
    pValue: twoSidedPValue(z),
  };
}

function assertCounts(label: string, c: RateCounts): void {
  if (!Number.isInteger(c.total) || c.total < 0)
    throw new RangeError(`${label} total must be a non-negative integer, got ${c.total}`);
  if (!Number.isInteger(c.flagged) || c.flagged < 0 || c.flagged > c.total) {
    throw new RangeError(
      `${label} flagged must be an integer between 0 and ${c.total}, got ${c.flagged}`,
    );
  }
}
