// Reference data shapes. The data itself lives in libs/catalogue/data/*.json, each entry with its source.

export type SourceStatus = 'CONFIRMED' | 'SECONDARY' | 'INFERRED' | 'UNCONFIRMED';

export interface Region {
  id: string; // e.g. 'east-midlands'
  name: string;
  source: string;
}

export interface Force {
  id: string; // data.police.uk force id, e.g. 'derbyshire', 'btp'
  name: string;
  regionId: string; // Region.id; membership is data, not code
  territorial: boolean; // false only for British Transport Police
  validFrom: string; // ISO date; forces can merge, so membership of a year is dated
  validTo: string | null;
  source: string;
}

// An investigating authority outside the 44 forces a crime can be transferred to (HOCR General Rules Section I,
// Annex A): Police Scotland, PSNI and, as data, other agencies.
export interface InvestigatingAuthority {
  id: string; // kebab-case, e.g. 'police-scotland'
  name: string;
  jurisdiction: string;
  source: string;
}

export type Sex = 'female' | 'male';

// Who records the offence: forces, or Action Fraud / NFIB (out of scope of force returns, R15).
export type RecordingBody = 'police' | 'action_fraud';

export interface OffenceDefinition {
  code: string; // Home Office class / sub-code, e.g. '19C', '71/17', '86/2'
  name: string;
  group: string; // e.g. 'sexual offences'
  subgroup: string; // e.g. 'rape', 'other sexual offences'
  sexualOffence: boolean; // counts towards child sexual offence tables (returns table B)
  rape: boolean;
  // Victim age limits at the offence date, inclusive; null = no limit.
  victimAgeMin: number | null;
  victimAgeMax: number | null;
  victimSex: Sex | null; // sex the code implies, if any
  offenderAgeMin: number | null; // e.g. 18 for s.15A
  offenderAgeMax: number | null; // e.g. 17 for s.13
  under13Alternative: string | null; // e.g. 19D -> 19E (R2 suggestion)
  usuallyOnline: boolean; // R14 review heuristic
  recordedBy: RecordingBody;
  // When the offence came into force: conduct before it cannot be recorded under this code (R11).
  // null = no such limit: historic allegations are recorded as if committed today (HOCR, domain.md §3.1).
  commencedOn: string | null;
  validFrom: string; // ISO date from which the code table allows the code on a record (by recorded date)
  validTo: string | null; // last ISO recorded date the code may be used, inclusive
  status: SourceStatus; // how sure the constraint data is
  source: string;
  // Codes that took this one's place after validTo (72 -> 106, 28A -> 28E): named when an old code is refused.
  replacedBy: string[];
  // Whose age the victim limits describe: the victim's at the offence date, or (86/2) the child's when the
  // image was made, which the record does not hold, so those limits are a warning, not a block.
  victimAgeAt: VictimAgeBasis;
  // R14 for offences usually online only in some forms (harassment, stalking): the review applies when the
  // method text mentions one of these (case-insensitive); null = whenever usuallyOnline.
  usuallyOnlineMethodKeywords: string[] | null;
  // Hate strands the code itself implies ('racially or religiously aggravated …'): one of them is expected.
  impliedHateStrands: string[];
  // Counted in return table B (online-flagged child sexual offences). Default: the ONS "sexual offences"
  // group (= sexualOffence); switch a code in or out here (data/README.md "Table B").
  tableB: boolean;
  // The record's victim is a person whose age and sex the record can hold (ONS "victim-based" groups, less
  // business victims; plus 86/2's child): only these count in table C's "unknown victim age".
  personalVictim: boolean;
}

export type VictimAgeBasis = 'offence' | 'image';

// An offence in law whose Home Office code could not be confirmed from a source (data/unconfirmed-offences.json).
// It is listed, with its commencement, so the gap is visible; it is not a code a record can use.
export interface UnconfirmedOffence {
  id: string; // kebab-case, e.g. 'osa-66a-cyberflashing'
  name: string;
  statute: string;
  inForceFrom: string | null; // ISO date the offence came into force, when a source gives it
  candidateCode: string | null; // where forces or the research suggest it is recorded; UNCONFIRMED
  source: string;
}

// The seriousness of an offence code for the Principal Crime Rule (HOCR General Rules Section F; its Annex C
// look-up table ranks offences by maximum sentence, domain.md R20). Annex C was not available: each entry is the
// statutory maximum of the offence the code records, from the cited source. Codes without an entry cannot be ranked.
export interface PrincipalCrimeEntry {
  code: string;
  life: boolean; // maximum sentence is life imprisonment
  maxSentenceMonths: number | null; // null exactly when life
  statute: string;
  status: SourceStatus;
  source: string;
}

// A row of published offence tables (domain.md §15): offence codes grouped so that detail does not force
// suppression of headline figures. Publication detail beyond the group is internal.
export interface PublicationGroup {
  id: string; // kebab-case, e.g. 'rape'
  name: string;
  rape: boolean; // every member is a rape code: the headline count of rapes adds these rows
  codes: string[]; // offences.json codes, each sexual offence in exactly one group
  source: string;
}
