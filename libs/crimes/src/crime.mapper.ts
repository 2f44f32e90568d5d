import type { CrimeFacts as RuleCrimeFacts } from '#libs/recording-rules';
import { formatFinancialYear } from '#libs/recording-rules';
import type { Crime } from './crime.entity.js';
import type { CrimeView } from './crime.types.js';

export function toRuleFacts(c: Crime): RuleCrimeFacts {
  return {
    forceId: c.forceId,
    crimeReference: c.crimeReference,
    offenceCode: c.offenceCode,
    reportedAt: c.reportedAt,
    recordedAt: c.recordedAt,
    offenceFrom: c.offenceFrom,
    offenceTo: c.offenceTo,
    onlineFlag: c.onlineFlag,
    onlineMethod: c.onlineMethod,
    onlinePlatform: c.onlinePlatform,
    victimAge: c.victimAge,
    victimSex: c.victimSex,
    suspectAge: c.suspectAge,
    domesticAbuse: c.domesticAbuse,
    hateStrands: c.hateStrands,
    childSexualExploitation: c.childSexualExploitation,
    childSexualAbuse: c.childSexualAbuse,
    status: c.status,
  };
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
