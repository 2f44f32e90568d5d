import type { CrimeFacts as RuleCrimeFacts } from '#libs/recording-rules';
import { formatFinancialYear } from '#libs/recording-rules';
import type { Crime } from './crime.entity.js';
import type { CrimeView } from './crime.types.js';
import { pickCrimeFacts } from './crime-fields.js';

// The rule facts are the fields of CRIME_FIELDS (crime-fields.ts), read from the one list.
export function toRuleFacts(c: Crime): RuleCrimeFacts {
  return pickCrimeFacts(c);
}

// Never return entities (style.md §8): map to the response shape here.
export function toView(c: Crime): CrimeView {
  const { forceId, crimeReference, offenceCode, status, ...facts } = toRuleFacts(c);
  return {
    id: c.id,
    forceId,
    crimeReference,
    offenceCode,
    incidentReference: c.incidentReference ?? null,
    financialYear: formatFinancialYear(c.financialYear),
    ...facts,
    status,
    ruleWarnings: c.ruleWarnings,
    acknowledgedRules: c.acknowledgedRules,
    cancellationCategory: c.cancellationCategory,
    cancellationJustification: c.cancellationJustification,
    cancelledAt: c.cancelledAt,
    cancelledBy: c.cancelledBy,
    transferredToForceId: c.transferredToForceId,
    transferredToAuthorityId: c.transferredToAuthorityId ?? null,
    version: c.version,
    createdAt: c.createdAt,
    createdBy: c.createdBy,
    updatedAt: c.updatedAt,
    updatedBy: c.updatedBy,
    importId: c.importId,
  };
}
