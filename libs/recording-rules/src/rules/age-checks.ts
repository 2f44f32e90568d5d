// Shared age logic for the age rules. Thresholds come from the offence catalogue entry, so the
// catalogue is the single source of each code's limits (domain.md §6.1).
import type { CrimeFacts, RuleContext } from '../rule.js';

// An age the other rules can trust; anything else is left to CF-AGE-006 (R8) so one bad value
// does not produce a cascade of findings.
export function validAge(age: number | null, ctx: RuleContext): number | null {
  return age !== null && Number.isInteger(age) && age >= 0 && age <= ctx.config.maxVictimAge
    ? age
    : null;
}

// R1 / R2 / R7 share one check and differ by the band of the code's inclusive maximum:
// ≤ 12 is an under-13 code, 13–15 an under-16 code, 16+ an under-18 code. Banding by range
// rather than by exact value means every victimAgeMax in the catalogue is covered by one rule.
export function checkVictimAgeMax(
  crime: CrimeFacts,
  ctx: RuleContext,
  band: { from: number; to: number },
) {
  const offence = ctx.offence(crime.offenceCode);
  // 86/2: the limit is on the child's age when the image was made, which the record does not hold; CF-AGE-008.
  if (offence?.victimAgeAt === 'image') return null;
  const max = offence?.victimAgeMax ?? null;
  const age = validAge(crime.victimAge, ctx);
  if (max === null || max < band.from || max > band.to || age === null || age <= max) return null;
  return {
    message: `Offence ${crime.offenceCode} requires a victim aged under ${max + 1} at the offence date; victim is ${age}`,
    details: { offenceCode: crime.offenceCode, victimAge: age, victimAgeMax: max },
  };
}
