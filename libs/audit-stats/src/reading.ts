// Plain-language readings of rates for auditors (issue 7 §2).
//
// Percentages: whole numbers, except that values which would round to 0% or 100% without being
// exactly 0 or 1 (below 1% or above 99%) get one decimal, so a small rate is never shown as 0%
// nor a near-complete one as 100%; below 0.05% it reads "under 0.1%", above 99.95% "over 99.9%".

export function formatPercent(rate: number): string {
  if (!(rate >= 0 && rate <= 1)) throw new RangeError(`rate must be between 0 and 1, got ${rate}`);
  if (rate === 0) return '0%';
  if (rate === 1) return '100%';
  const percent = rate * 100;
  if (percent < 1) {
    const tenths = Math.round(percent * 10) / 10;
    return tenths === 0 ? 'under 0.1%' : `${tenths.toFixed(1)}%`;
  }
  if (percent > 99) {
    const tenths = Math.round(percent * 10) / 10;
    return tenths === 100 ? 'over 99.9%' : `${tenths.toFixed(1)}%`;
  }
  return `${Math.round(percent)}%`;
}

/** e.g. "flags 3% of harassment online against 15% nationally". */
export function describeOnlineFlagRate(
  offenceGroup: string,
  forceRate: number,
  nationalRate: number,
): string {
  return `flags ${formatPercent(forceRate)} of ${offenceGroup} online against ${formatPercent(nationalRate)} nationally`;
}
