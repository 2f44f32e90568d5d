// Proportional allocation of a total sample across strata (issue 7 §4).
//
// Each stratum with records gets at least 1; quotas are total × N_h / N over the strata not yet
// fixed. Any stratum whose quota is below 1 is fixed at 1 and the rest re-divided, until every
// free quota is at least 1. Quotas never exceed N_h while total <= N (re-division only lowers
// them). Integers come from largest-remainder (Hamilton) rounding: everyone gets floor(quota),
// and the leftover units go to the largest fractional parts, ties to the larger population, then
// to the stratum name in code-unit order, so the result is deterministic and sums to total exactly.
// A total of N or more samples every record (a census). A total smaller than the number of
// strata with records is refused: the minimum of 1 each cannot be met.

export function allocateProportional(
  populations: Readonly<Record<string, number>>,
  total: number,
): Record<string, number> {
  if (!Number.isInteger(total) || total < 0)
    throw new RangeError(`total must be a non-negative integer, got ${total}`);
  const names = Object.keys(populations);
  for (const name of names) {
    const N = populations[name];
    if (!Number.isInteger(N) || N < 0)
      throw new RangeError(
        `stratum '${name}': population must be a non-negative integer, got ${N}`,
      );
  }
  const result: Record<string, number> = Object.fromEntries(names.map((name) => [name, 0]));
  const nonEmpty = names.filter((name) => populations[name] > 0);
  const population = nonEmpty.reduce((s, name) => s + populations[name], 0);
  if (total >= population) {
    for (const name of nonEmpty) result[name] = populations[name];
    return result;
  }
  if (total < nonEmpty.length) {
    throw new RangeError(
      `a total of ${total} cannot give each of the ${nonEmpty.length} non-empty strata at least one record`,
    );
  }

  let free = nonEmpty;
  let remaining = total;
  let quotas = new Map<string, number>();
  for (;;) {
    const freePopulation = free.reduce((s, name) => s + populations[name], 0);
    quotas = new Map(free.map((name) => [name, (remaining * populations[name]) / freePopulation]));
    const small = free.filter((name) => (quotas.get(name) ?? 0) < 1);
    if (small.length === 0) break;
    for (const name of small) result[name] = 1;
    remaining -= small.length;
    free = free.filter((name) => !small.includes(name));
  }

  let assigned = 0;
  for (const name of free) {
    const quota = Math.min(populations[name], quotas.get(name) ?? 0);
    result[name] = Math.floor(quota);
    assigned += result[name];
  }
  const byRemainder = [...free].sort((a, b) => {
    const fa = (quotas.get(a) ?? 0) - result[a];
    const fb = (quotas.get(b) ?? 0) - result[b];
    if (fa !== fb) return fb - fa;
    if (populations[a] !== populations[b]) return populations[b] - populations[a];
    return a < b ? -1 : a > b ? 1 : 0;
  });
  let leftover = remaining - assigned;
  for (const name of byRemainder) {
    if (leftover === 0) break;
    if (result[name] < populations[name]) {
      result[name] += 1;
      leftover -= 1;
    }
  }
  return result;
}
