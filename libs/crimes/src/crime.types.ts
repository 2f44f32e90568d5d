import type { CrimeStatus, HateStrand, OnlineFlag, VictimSex } from '#libs/recording-rules';

// The recorded facts a registrar can state and later amend (offence code changes go through reclassify).
export interface RecordedFacts {
  reportedAt: Date;
  recordedAt: Date;
  offenceFrom: Date;
  offenceTo: Date | null;
  onlineFlag: OnlineFlag;
  onlineMethod: string | null;
  onlinePlatform: string | null;
  victimAge: number | null;
  victimSex: VictimSex;
  suspectAge: number | null;
  domesticAbuse: boolean;
  hateStrands: HateStrand[];
  childSexualExploitation: boolean;
  childSexualAbuse: boolean;
}
export const AMENDABLE_FIELDS = [
  'reportedAt',
  'recordedAt',
  'offenceFrom',
  'offenceTo',
  'onlineFlag',
  'onlineMethod',
  'onlinePlatform',
  'victimAge',
  'victimSex',
  'suspectAge',
  'domesticAbuse',
  'hateStrands',
  'childSexualExploitation',
  'childSexualAbuse',
] as const satisfies readonly (keyof RecordedFacts)[];

// What a new record holds for facts its creator did not state.
export type DefaultedFact =
  | 'offenceTo'
  | 'onlineMethod'
  | 'onlinePlatform'
  | 'victimAge'
  | 'suspectAge'
  | 'domesticAbuse'
  | 'hateStrands'
  | 'childSexualExploitation'
  | 'childSexualAbuse';
export function factDefaults(): Pick<RecordedFacts, DefaultedFact> {
  return {
    offenceTo: null,
    onlineMethod: null,
    onlinePlatform: null,
    victimAge: null,
    suspectAge: null,
    domesticAbuse: false,
    hateStrands: [],
    childSexualExploitation: false,
    childSexualAbuse: false,
  };
}

export interface RecordCrimeInput extends RecordedFacts {
  forceId: string;
  crimeReference: string;
  offenceCode: string;
  incidentReference?: string | null; // shared by the records of one incident (HOCR Section F)
  status: Extract<CrimeStatus, 'draft' | 'confirmed'>;
  acknowledge: string[]; // 'confirm'-severity rule codes the registrar accepts
}
// A new record as a caller states it: the facts it knows (the recording service fills in the defaults and
// refuses a record without a required fact), and the codes it acknowledges, if any.
export type NewCrimeInput = Partial<RecordedFacts> &
  Pick<
    RecordCrimeInput,
    'forceId' | 'crimeReference' | 'offenceCode' | 'incidentReference' | 'status'
  > & {
    acknowledge?: string[];
  };
export const REQUIRED_FACTS = [
  'reportedAt',
  'recordedAt',
  'offenceFrom',
  'onlineFlag',
  'victimSex',
] as const satisfies readonly Exclude<keyof RecordedFacts, DefaultedFact>[];
export interface AmendCrimeInput {
  version: number;
  reason: string;
  changes: Partial<RecordedFacts>;
  acknowledge?: string[];
}
export interface ReclassifyCrimeInput {
  version: number;
  offenceCode: string;
  reason: string;
  acknowledge?: string[];
}
export interface ConfirmCrimeInput {
  version: number;
  acknowledge?: string[];
}
export interface RemoveCrimeInput {
  version: number;
  category: string;
  justification: string; // additional verifiable information (AVI)
  toForceId?: string | null; // transfers only: a force, or
  toAuthorityId?: string | null; // an investigating authority outside the 44 forces (exactly one of the two)
}
// A transfer's category defaults to C1 (HOCR Section C: transferred to another force or authority).
export type TransferCrimeInput = Omit<RemoveCrimeInput, 'category'> & { category?: string };
export interface CrimeListQuery {
  forceId?: string;
  financialYear?: number;
  offenceCode?: string;
  onlineFlag?: OnlineFlag;
  status?: CrimeStatus;
  reference?: string; // exact crime reference
  referencePrefix?: string; // crime references starting with this
  limit?: number; // default 50
  cursor?: string;
}

export interface CrimeView extends RecordedFacts {
  id: string;
  forceId: string;
  crimeReference: string;
  offenceCode: string;
  incidentReference: string | null;
  financialYear: string; // '2015-16'
  status: CrimeStatus;
  ruleWarnings: string[];
  acknowledgedRules: string[];
  cancellationCategory: string | null;
  cancellationJustification: string | null;
  cancelledAt: Date | null;
  cancelledBy: string | null;
  transferredToForceId: string | null;
  transferredToAuthorityId: string | null; // an investigating authority outside the 44 forces
  version: number;
  createdAt: Date;
  createdBy: string;
  updatedAt: Date;
  updatedBy: string;
  importId: string | null; // the bulk import that created the record, if one did
}
export interface CrimePage {
  items: CrimeView[];
  nextCursor: string | null;
}
