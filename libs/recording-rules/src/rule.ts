import type {
  OffenceDefinition,
  Force,
  InvestigatingAuthority,
  PrincipalCrimeEntry,
} from '#libs/catalogue';

export type Severity = 'block' | 'confirm' | 'warn';
export type OnlineFlag = 'yes' | 'no' | 'unknown';
export type VictimSex = 'female' | 'male' | 'unknown';
export type CrimeStatus = 'draft' | 'confirmed' | 'cancelled' | 'transferred';
export const HATE_STRANDS = [
  'race',
  'religion',
  'sexual_orientation',
  'disability',
  'transgender',
] as const;
export type HateStrand = (typeof HATE_STRANDS)[number];
// Longest free text a record takes, in characters, on every recording path (API and import).
export const TEXT_LIMITS = { onlineMethod: 1000, onlinePlatform: 200 } as const;

// What the rules look at: the facts of one crime record (one crime per victim). No names, no DOB.
export interface CrimeFacts {
  forceId: string;
  crimeReference: string;
  offenceCode: string;
  reportedAt: Date;
  recordedAt: Date;
  offenceFrom: Date;
  offenceTo: Date | null;
  onlineFlag: OnlineFlag;
  onlineMethod: string | null;
  onlinePlatform: string | null;
  victimAge: number | null; // at the offence date; null = unknown
  victimSex: VictimSex;
  suspectAge: number | null; // null = unknown / no suspect
  domesticAbuse: boolean;
  hateStrands: HateStrand[]; // empty = not a hate crime
  childSexualExploitation: boolean;
  childSexualAbuse: boolean;
  status: CrimeStatus;
  // The other live records of the force entered for the same incident (shared incident reference), when the
  // caller looked them up; absent = not known (imports, or a record with no incident reference).
  incident?: IncidentFacts | null;
}

// For the Principal Crime Rule (CF-PRINCIPAL-001): an incident and the offences recorded for it besides this one.
export interface IncidentFacts {
  reference: string;
  others: { crimeReference: string; offenceCode: string }[];
}

// A cancellation or transfer request (R16, R17).
export interface CancellationFacts {
  kind: 'cancel' | 'transfer';
  category: string;
  justification: string; // the additional verifiable information (AVI)
  decisionMakerRoles: string[];
  toForceId: string | null; // for transfers: a force, or
  toAuthorityId?: string | null; // an investigating authority outside the 44 forces (HOCR Section I)
  // The force holding the record; optional (additive) so a transfer to the same force can be refused.
  fromForceId?: string | null;
}

// A reclassification request (R18).
export interface ReclassificationFacts {
  fromCode: string;
  toCode: string;
  reason: string;
}

// Tunable data: INFERRED / UNCONFIRMED rules are switched and tuned here, not in code.
export interface RuleSetting {
  enabled: boolean;
  severity?: Severity;
}
export interface RulesConfig {
  // Counting-rules editions by financial year (counting-rules-edition.ts); each return states its year's.
  countingRulesEditions: { fromYear: number; edition: string }[];
  catalogueVersion: string; // the offence catalogue and rule set Cyberflag applies (data/offences.json)
  settings: Record<string, RuleSetting>;
  timelinessHours: { fromYear: number; hours: number }[]; // first year (e.g. 2015 = 2015-16) and limit
  maxVictimAge: number;
  domesticAbuseMinAge: number;
  flagStartYear: number; // CF-DATE-002: nothing recorded before 1 April of this year
  earliestOffenceYear: number; // CF-DATE-002: no offence date before 1 January of this year
  clockSkewToleranceSeconds: number; // CF-DATE-002: how far past the server's clock a date may be
  cancellationCategories: { code: string; label: string; kind: 'cancel' | 'transfer' }[];
  cancellationRoles: string[]; // roles allowed to cancel/transfer (FCR; DDM configurable)
  insufficientCancellationReasons: string[]; // phrases that may not stand alone as a reason (R17)
}

export interface RuleContext {
  offence: (code: string) => OffenceDefinition | undefined;
  force: (id: string) => Force | undefined;
  authority?: (id: string) => InvestigatingAuthority | undefined; // transfer targets outside the 44 forces
  // Seriousness for the Principal Crime Rule (catalogue data/principal-crime.json); absent = nothing ranked.
  principalCrime?: (code: string) => PrincipalCrimeEntry | undefined;
  config: RulesConfig;
  // The clock, in ms since the epoch, for rules about the present (CF-DATE-002); Date.now when absent.
  now?: () => number;
}

export interface RuleFinding {
  code: string;
  severity: Severity;
  message: string;
  reference: string;
  details?: Record<string, unknown>;
}

interface RuleMeta {
  code: string; // stable, e.g. 'CF-AGE-001'
  severity: Severity; // default severity; the config may override it
  message: string; // one line
  reference: string; // counting rule / statute and the domain.md rule number
  basis: 'CONFIRMED' | 'SECONDARY' | 'INFERRED' | 'UNCONFIRMED';
  fromYear: number | null; // first counting year it applies to (2015 = 2015-16); null = always
  toYear: number | null;
}

// A check returns null when the rule holds, or details (or true) when it is broken.
export type Check<T> = (
  subject: T,
  ctx: RuleContext,
) => null | true | { message?: string; details?: Record<string, unknown> };

export interface CrimeRule extends RuleMeta {
  subject: 'crime';
  check: Check<CrimeFacts>;
}
export interface CancellationRule extends RuleMeta {
  subject: 'cancellation';
  check: Check<CancellationFacts>;
}
export interface ReclassificationRule extends RuleMeta {
  subject: 'reclassification';
  check: Check<ReclassificationFacts>;
}
export type RecordingRule = CrimeRule | CancellationRule | ReclassificationRule;
