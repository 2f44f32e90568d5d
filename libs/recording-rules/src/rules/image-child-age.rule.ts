import type { CrimeRule } from '../rule.js';
import { validAge } from './age-checks.js';

// R7 for indecent images (86/2): the child is a person under 18 when the image was made (PCA 1978 s.7(6),
// CPS guidance), not at the offence date. Making or sharing an old image of someone now adult is still the
// offence, so an age of 18+ at the offence date is not refused; it is a warning to check the age in the image.
export const imageChildAgeRule: CrimeRule = {
  code: 'CF-AGE-008',
  subject: 'crime',
  severity: 'warn',
  message:
    "Person shown is over the code's child age at the offence date: check they were a child when the image was made",
  reference:
    'PCA 1978 ss.1, 7(6); CJA 1988 s.160; CPS indecent images guidance; domain.md §14 R7; issue 20',
  basis: 'CONFIRMED',
  fromYear: null,
  toYear: null,
  check: (crime, ctx) => {
    const offence = ctx.offence(crime.offenceCode);
    if (offence?.victimAgeAt !== 'image' || offence.victimAgeMax === null) return null;
    const age = validAge(crime.victimAge, ctx);
    if (age === null || age <= offence.victimAgeMax) return null;
    return {
      details: { offenceCode: offence.code, victimAge: age, childAgeMax: offence.victimAgeMax },
    };
  },
};
