// The tunable data of the rule set. Counting-rule facts that are INFERRED or UNCONFIRMED in
// domain.md live here, not in code, so they can be changed without a release (§14 preamble, §16).
import { yearlyEditions } from './counting-rules-edition.js';
import type { RuleSetting, RulesConfig } from './rule.js';

export const defaultRulesConfig: RulesConfig = {
  // A return for 2015-16 states the 2015-16 edition, not today's (issue 20 §2). 2002 = NCRS adopted.
  countingRulesEditions: yearlyEditions(2002, 2025),
  catalogueVersion: 'Cyberflag catalogue v2 (dated codes)',
  // One entry per INFERRED / UNCONFIRMED rule so it can be disabled or re-severitied.
  // Rules without an entry are enabled with their default severity.
  settings: {
    'CF-AGE-005': { enabled: true }, // R2 under-13 banding [INFERRED]
    'CF-AGE-006': { enabled: true }, // R8 age range 0..max [INFERRED]
    'CF-AGE-007': { enabled: true }, // unknown age on an age-defined code: design choice
    'CF-SEX-002': { enabled: true }, // R4 unknown sex: warn is a design choice
    'CF-DATE-001': { enabled: true }, // R9 date order [INFERRED]
    'CF-DATE-009': { enabled: true }, // offence going on after the report: warn [INFERRED, issue 20 review]
    'CF-HATE-002': { enabled: true }, // aggravated code without a strand [INFERRED from the offence names]
    'CF-PRINCIPAL-001': { enabled: true }, // R20 principal crime; statutory maxima stand in for Annex C [INFERRED]
    'CF-FLAG-001': { enabled: true }, // R12 finalisation gating is a design choice
    'CF-FLAG-002': { enabled: true }, // R13 method required: design choice
    'CF-FLAG-003': { enabled: true }, // R14 review heuristic [INFERRED]
    'CF-CANCEL-001': { enabled: true }, // R16 C-codes [UNCONFIRMED]
    'CF-CANCEL-002': { enabled: true }, // R16 FCR-only tool design [INFERRED]
    'CF-CANCEL-003': { enabled: true }, // R17 English wording [UNCONFIRMED]
  },
  // 72h under NCRS from April 2002; 24h from April 2015 (domain.md §2, R10).
  timelinessHours: [
    { fromYear: 2002, hours: 72 },
    { fromYear: 2015, hours: 24 },
  ],
  maxVictimAge: 120, // R8 "about 120"
  domesticAbuseMinAge: 16, // DA definition: those aged 16 or over (§5, R22)
  flagStartYear: 2015, // the online flag was mandatory from 1 April 2015 (§4)
  earliestOffenceYear: 1900, // before any living victim: an earlier date is a typo, not a historic allegation
  clockSkewToleranceSeconds: 300, // a client's clock a few minutes ahead of the server's is not an error
  // C-codes and labels are UNCONFIRMED (domain.md §3.2, §16 item 4): they are data, not code.
  cancellationCategories: [
    { code: 'C1', label: 'Transferred to another force', kind: 'transfer' },
    { code: 'C2', label: 'Additional verifiable information shows no crime', kind: 'cancel' },
    { code: 'C3', label: 'Duplicate record', kind: 'cancel' },
    { code: 'C4', label: 'Part of a crime already recorded', kind: 'cancel' },
    { code: 'C5', label: 'Recorded in error', kind: 'cancel' },
    { code: 'C6', label: 'Self-defence', kind: 'cancel' },
  ],
  // The FCR is the final arbiter (§3.2); add a DDM role here if a force authorises one.
  cancellationRoles: ['force_crime_registrar'],
  // R17: none of these may stand alone as the reason to cancel.
  insufficientCancellationReasons: [
    'victim does not support',
    'victim does not support police action',
    'victim does not wish to proceed',
    'victim unwilling to support',
    'no complaint',
    'no complaint made',
    'complaint withdrawn',
    'victim declines',
    'victim declined',
    'victim withdrew',
    'victim withdrew support',
    'victim withdrew complaint',
  ],
};

export type RulesConfigOverride = Partial<Omit<RulesConfig, 'settings'>> & {
  settings?: Record<string, Partial<RuleSetting>>;
};

// Scalars and lists in the override replace the base; settings merge per rule code.
export function mergeRulesConfig(base: RulesConfig, override: RulesConfigOverride): RulesConfig {
  const settings: Record<string, RuleSetting> = { ...base.settings };
  for (const [code, setting] of Object.entries(override.settings ?? {})) {
    const severity = setting.severity ?? base.settings[code]?.severity;
    settings[code] = {
      enabled: setting.enabled ?? base.settings[code]?.enabled ?? true,
      ...(severity && { severity }),
    };
  }
  const defined = Object.fromEntries(
    Object.entries(override).filter(([key, value]) => key !== 'settings' && value !== undefined),
  ) as Partial<RulesConfig>;
  return { ...base, ...defined, settings };
}
