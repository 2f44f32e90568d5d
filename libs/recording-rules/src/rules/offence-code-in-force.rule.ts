import { financialYearOf, formatFinancialYear } from '../financial-year.js';
import type { CrimeRule } from '../rule.js';
import { londonDate } from '../uk-time.js';

// R11: a code that created a new offence cannot be used for earlier conduct (71/17 from 2017-04-03),
// and the code table (validFrom..validTo) must allow the code on the recorded date. On UK calendar dates:
// - commencedOn is compared with the LAST offence date (offenceTo, else offenceFrom): a course of
//   conduct that runs past commencement includes acts that are offences under the new code.
// - Codes without commencedOn take historic allegations "as if committed today" (domain.md §3.1),
//   so only the recorded date is checked against the code table. A year's records use the codes of that
//   year (HOCR editions "with effect from April …"; 72 -> 106 when the Modern Slavery Act came into force):
//   the message names the code, the recording year and the codes that took its place.
export const offenceCodeInForceRule: CrimeRule = {
  code: 'CF-CODE-002',
  subject: 'crime',
  severity: 'block',
  message: 'Offence code is not in force for this record',
  reference: 'HOCR annual code table; SCA 2015 s.67 commencement; domain.md §14 R11, §3.1',
  basis: 'CONFIRMED',
  fromYear: null,
  toYear: null,
  check: (crime, ctx) => {
    const offence = ctx.offence(crime.offenceCode);
    const lastOffence = crime.offenceTo ?? crime.offenceFrom;
    if (!offence || !isValid(lastOffence) || !isValid(crime.recordedAt)) return null;
    const offenceDate = londonDate(lastOffence);
    if (offence.commencedOn !== null && offenceDate < offence.commencedOn) {
      return {
        message: `Offence code ${offence.code} applies only to offences on or after ${offence.commencedOn}`,
        details: { offenceCode: offence.code, offenceDate, commencedOn: offence.commencedOn },
      };
    }
    const recordedDate = londonDate(crime.recordedAt);
    if (
      recordedDate >= offence.validFrom &&
      (offence.validTo === null || recordedDate <= offence.validTo)
    )
      return null;
    const recordedYear = formatFinancialYear(financialYearOf(crime.recordedAt));
    if (recordedDate < offence.validFrom) {
      return {
        message: `Offence code ${offence.code} is not in the code table for records made in ${recordedYear} (${recordedDate}): it applies from ${offence.validFrom}`,
        details: {
          offenceCode: offence.code,
          recordedDate,
          recordedYear,
          validFrom: offence.validFrom,
        },
      };
    }
    const instead =
      offence.replacedBy.length > 0
        ? `record under ${offence.replacedBy.join(' or ')}`
        : 'record under the code then in force';
    return {
      message: `Offence code ${offence.code} is not in force for records made in ${recordedYear} (${recordedDate}): withdrawn after ${offence.validTo}; ${instead}`,
      details: {
        offenceCode: offence.code,
        recordedDate,
        recordedYear,
        validTo: offence.validTo,
        replacedBy: [...offence.replacedBy],
      },
    };
  },
};

const isValid = (date: Date): boolean => !Number.isNaN(date.getTime());
