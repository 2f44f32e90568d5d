// Test support (NIBRS pre-certification style): ONE valid baseline record and a small fixture
// catalogue, built inline so the rule tests do not depend on libs/catalogue data. Each rule spec
// mutates the baseline to break exactly one rule. Fixture codes named '*-TEST' are not HO codes.
import type {
  Force,
  InvestigatingAuthority,
  OffenceDefinition,
  PrincipalCrimeEntry,
} from '#libs/catalogue';
import { evaluateCancellation, evaluateCrime, evaluateReclassification } from '../registry.js';
import type {
  CancellationFacts,
  CrimeFacts,
  ReclassificationFacts,
  RuleContext,
  RuleFinding,
} from '../rule.js';
import { defaultRulesConfig, mergeRulesConfig, type RulesConfigOverride } from '../rules-config.js';

// 71/17 sexual communication with a child: girl of 14, suspect 30, via a messaging app, 2018-19.
export function baselineCrime(): CrimeFacts {
  return {
    forceId: 'derbyshire',
    crimeReference: 'DBY-2018-000123',
    offenceCode: '71/17',
    reportedAt: new Date('2018-05-01T10:00:00Z'),
    recordedAt: new Date('2018-05-01T12:00:00Z'),
    offenceFrom: new Date('2018-04-20T18:00:00Z'),
    offenceTo: new Date('2018-04-25T18:00:00Z'),
    onlineFlag: 'yes',
    onlineMethod: 'messages sent from a smartphone via a social media app',
    onlinePlatform: 'social media app',
    victimAge: 14,
    victimSex: 'female',
    suspectAge: 30,
    domesticAbuse: false,
    hateStrands: [],
    childSexualExploitation: false,
    childSexualAbuse: false,
    status: 'confirmed',
  };
}

export function baselineCancellation(): CancellationFacts {
  return {
    kind: 'cancel',
    category: 'C2',
    justification:
      'CCTV shows the phone was not stolen; the owner found it at home the same evening.',
    decisionMakerRoles: ['force_crime_registrar'],
    toForceId: null,
    fromForceId: 'derbyshire',
  };
}

export function baselineTransfer(): CancellationFacts {
  return {
    kind: 'transfer',
    category: 'C1',
    justification:
      'Offender and victim both live in Nottingham; offence happened in that force area.',
    decisionMakerRoles: ['force_crime_registrar'],
    toForceId: 'nottinghamshire',
    fromForceId: 'derbyshire',
  };
}

export function baselineReclassification(): ReclassificationFacts {
  return {
    fromCode: '88A',
    toCode: '71/17',
    reason: 'No meeting was arranged; the contact was sexual communication only.',
  };
}

const offence = (
  o: Partial<OffenceDefinition> & Pick<OffenceDefinition, 'code' | 'name'>,
): OffenceDefinition => ({
  group: 'sexual offences',
  subgroup: 'other sexual offences',
  sexualOffence: true,
  rape: false,
  victimAgeMin: null,
  victimAgeMax: null,
  victimSex: null,
  offenderAgeMin: null,
  offenderAgeMax: null,
  under13Alternative: null,
  usuallyOnline: false,
  recordedBy: 'police',
  commencedOn: null,
  validFrom: '2004-05-01',
  validTo: null,
  status: 'CONFIRMED',
  source: 'test fixture',
  replacedBy: [],
  victimAgeAt: 'offence',
  usuallyOnlineMethodKeywords: null,
  impliedHateStrands: [],
  tableB: o.sexualOffence ?? true,
  personalVictim: true,
  ...o,
});

export const FIXTURE_OFFENCES: OffenceDefinition[] = [
  offence({
    code: '71/17',
    name: 'Sexual communication with a child',
    victimAgeMax: 15,
    offenderAgeMin: 18,
    usuallyOnline: true,
    commencedOn: '2017-04-03',
    validFrom: '2017-04-03',
  }),
  offence({
    code: '19C',
    name: 'Rape of a female aged 16 and over',
    rape: true,
    victimAgeMin: 16,
    victimSex: 'female',
  }),
  offence({
    code: '19D',
    name: 'Rape of a female child under 16',
    rape: true,
    victimAgeMax: 15,
    victimSex: 'female',
    under13Alternative: '19E',
  }),
  offence({
    code: '19E',
    name: 'Rape of a female child under 13',
    rape: true,
    victimAgeMax: 12,
    victimSex: 'female',
  }),
  offence({
    code: '17A',
    name: 'Sexual assault on a male aged 13 and over',
    victimAgeMin: 13,
    victimSex: 'male',
  }),
  offence({
    code: '86/2',
    name: 'Indecent photographs of children',
    group: 'misc crimes against society',
    sexualOffence: false,
    victimAgeMax: 17,
    victimAgeAt: 'image',
    usuallyOnline: true,
    validFrom: '1978-07-20',
  }),
  offence({
    code: '8L',
    name: 'Harassment',
    group: 'violence against the person',
    sexualOffence: false,
    validFrom: '1997-06-16',
  }),
  offence({
    code: 'S13-TEST',
    name: 'Child sex offence committed by a person under 18',
    victimAgeMax: 15,
    offenderAgeMax: 17,
  }),
  offence({
    code: 'NFIB-TEST',
    name: 'Fraud recorded by Action Fraud',
    group: 'fraud',
    sexualOffence: false,
    recordedBy: 'action_fraud',
    validFrom: '2000-01-01',
  }),
  offence({
    code: 'OLD-TEST',
    name: 'Retired code',
    group: 'other',
    sexualOffence: false,
    validFrom: '2000-01-01',
    validTo: '2010-03-31',
  }),
  // Dated catalogue (issue 20): the April 2017 burglary reclassification and 72 -> 106 on 31 July 2015.
  offence({
    code: '28A',
    name: 'Burglary in a dwelling',
    group: 'theft offences',
    sexualOffence: false,
    validFrom: '2002-04-01',
    validTo: '2017-03-31',
    replacedBy: ['28E'],
  }),
  offence({
    code: '28E',
    name: 'Burglary Residential',
    group: 'theft offences',
    sexualOffence: false,
    validFrom: '2017-04-01',
  }),
  offence({
    code: '72',
    name: 'Trafficking for sexual exploitation',
    validFrom: '2002-04-01',
    validTo: '2015-07-30',
    replacedBy: ['106'],
  }),
  offence({
    code: '106',
    name: 'Modern slavery',
    group: 'violence against the person',
    sexualOffence: false,
    validFrom: '2015-07-31',
  }),
  offence({
    code: '73',
    name: 'Abuse of position of trust of a sexual nature',
    victimAgeMax: 17,
    offenderAgeMin: 18,
  }),
  offence({
    code: '11A',
    name: 'Cruelty to children/young persons',
    group: 'violence against the person',
    sexualOffence: false,
    victimAgeMax: 15,
    offenderAgeMin: 16,
  }),
  offence({
    code: '13',
    name: 'Child abduction',
    group: 'violence against the person',
    sexualOffence: false,
    victimAgeMax: 15,
  }),
  offence({ code: '21', name: 'Sexual activity involving a child under 13', victimAgeMax: 12 }),
  offence({
    code: '22A',
    name: 'Causing sexual activity without consent',
    under13Alternative: '21',
  }),
  offence({
    code: '8Q',
    name: 'Stalking',
    group: 'violence against the person',
    sexualOffence: false,
    usuallyOnline: true,
    usuallyOnlineMethodKeywords: ['message', 'social media'],
  }),
  offence({
    code: '8R',
    name: 'Malicious Communications',
    group: 'violence against the person',
    sexualOffence: false,
    usuallyOnline: true,
  }),
  offence({
    code: '8M',
    name: 'Racially or religiously aggravated harassment',
    group: 'violence against the person',
    sexualOffence: false,
    impliedHateStrands: ['race', 'religion'],
  }),
];

const force = (id: string, validFrom: string, validTo: string | null = null): Force => ({
  id,
  name: id,
  regionId: 'east-midlands',
  territorial: true,
  validFrom,
  validTo,
  source: 'test fixture',
});

export const FIXTURE_FORCES: Force[] = [
  force('derbyshire', '1967-04-01'),
  force('nottinghamshire', '1968-04-01'),
  force('merged-test', '1974-04-01', '2012-03-31'),
];

export const FIXTURE_AUTHORITIES: InvestigatingAuthority[] = [
  {
    id: 'police-scotland',
    name: 'Police Scotland',
    jurisdiction: 'Scotland',
    source: 'test fixture',
  },
  {
    id: 'psni',
    name: 'Police Service of Northern Ireland',
    jurisdiction: 'Northern Ireland',
    source: 'test fixture',
  },
];

// Seriousness fixtures for the Principal Crime Rule (not the catalogue's data): 8L and 8M tie on purpose.
const principal = (code: string, months: number | null): PrincipalCrimeEntry => ({
  code,
  life: months === null,
  maxSentenceMonths: months,
  statute: 'test fixture',
  status: 'CONFIRMED',
  source: 'test fixture',
});
export const FIXTURE_PRINCIPAL_CRIME: PrincipalCrimeEntry[] = [
  principal('19C', null),
  principal('71/17', 24),
  principal('8R', 24),
  principal('8L', 6),
  principal('8M', 6),
];

export function testContext(override: RulesConfigOverride = {}): RuleContext {
  return {
    offence: (code) => FIXTURE_OFFENCES.find((o) => o.code === code),
    force: (id) => FIXTURE_FORCES.find((f) => f.id === id),
    authority: (id) => FIXTURE_AUTHORITIES.find((a) => a.id === id),
    principalCrime: (code) => FIXTURE_PRINCIPAL_CRIME.find((p) => p.code === code),
    config: mergeRulesConfig(defaultRulesConfig, override),
  };
}

export const codesOf = (findings: RuleFinding[]): string[] => findings.map((f) => f.code);

// Findings for the baseline with a patch applied: the table-driven specs compare these codes.
export const crimeFindings = (patch: Partial<CrimeFacts>, ctx = testContext()): RuleFinding[] =>
  evaluateCrime({ ...baselineCrime(), ...patch }, ctx);
export const cancellationFindings = (
  patch: Partial<CancellationFacts>,
  base = baselineCancellation(),
  ctx = testContext(),
) => evaluateCancellation({ ...base, ...patch }, ctx);
export const reclassificationFindings = (
  patch: Partial<ReclassificationFacts>,
  ctx = testContext(),
) => evaluateReclassification({ ...baselineReclassification(), ...patch }, ctx);

// One row of a table-driven rule spec: name, patch to the baseline, expected finding codes.
export type CrimeCase = [name: string, patch: Partial<CrimeFacts>, expected: string[]];
export type CancellationCase = [
  name: string,
  patch: Partial<CancellationFacts>,
  expected: string[],
];
