// Tables behind the synthetic demo dataset. ALL NUMBERS HERE ARE ROUGH SHARES FOR SYNTHETIC DATA, NOT
// STATISTICS: the offence mix loosely follows the shape of police recorded crime (theft and violence
// dominate; sexual offences a few per cent), and the online-flag rates loosely follow the shares in
// domain.md §4 (ONS experimental statistics, year to September 2017: obscene publications 44%,
// blackmail 28%, harassment/stalking 15%, child sexual offences 13%; low for public order, other violence
// and criminal damage). Nothing here should be quoted as a figure.

// How the victim of an offence is drawn.
//   person: an adult-leaning general population; child: under 16, by the code's limits;
//   child-sexual: a child sexual offence (ages skewed to 13-15, NSPCC: most common age 13);
//   none: an offence against society or the state (no victim age or sex).
export type VictimKind = 'person' | 'child' | 'child-sexual' | 'adult-sexual' | 'none';

export interface OffenceProfile {
  code: string;
  weight: number; // relative share of all demo records
  online: number; // probability the online flag is 'yes'
  victim: VictimKind;
  domesticAbuse?: number; // probability of the domestic abuse flag
  hate?: number; // probability of a hate-crime strand (aggravated codes: always)
}

export const OFFENCE_PROFILES: readonly OffenceProfile[] = [
  // theft offences
  { code: '46', weight: 9, online: 0.002, victim: 'none' },
  { code: '49', weight: 10, online: 0.01, victim: 'person' },
  // Burglary by the codes of the year (issue 20): dwelling / other than dwelling until March 2017, residential /
  // business and community from April 2017. The generator keeps only codes the code table allows that year.
  { code: '28A', weight: 4, online: 0.002, victim: 'person' },
  { code: '30A', weight: 4, online: 0.001, victim: 'none' },
  { code: '28E', weight: 5, online: 0.002, victim: 'person' },
  { code: '30C', weight: 3, online: 0.001, victim: 'none' },
  { code: '45', weight: 4, online: 0.001, victim: 'person' },
  { code: '48', weight: 2, online: 0.002, victim: 'person' },
  { code: '44', weight: 2, online: 0.002, victim: 'person' },
  { code: '39', weight: 2, online: 0.002, victim: 'person' },
  { code: '49A', weight: 0.5, online: 0.01, victim: 'none' },
  { code: '41', weight: 0.3, online: 0.02, victim: 'none' },
  { code: '35', weight: 0.3, online: 0.28, victim: 'person' },
  // violence against the person
  { code: '105A', weight: 8, online: 0.002, victim: 'person', domesticAbuse: 0.3 },
  { code: '8N', weight: 7, online: 0.001, victim: 'person', domesticAbuse: 0.3 },
  { code: '8L', weight: 4, online: 0.15, victim: 'person', domesticAbuse: 0.3 },
  { code: '8R', weight: 3, online: 0.4, victim: 'person', domesticAbuse: 0.2 },
  { code: '8Q', weight: 1, online: 0.15, victim: 'person', domesticAbuse: 0.5 },
  { code: '3B', weight: 0.6, online: 0.05, victim: 'person', domesticAbuse: 0.3 },
  { code: '8M', weight: 0.4, online: 0.15, victim: 'person', hate: 1 },
  { code: '105B', weight: 0.4, online: 0.002, victim: 'person', hate: 1 },
  { code: '11A', weight: 0.5, online: 0.01, victim: 'child' },
  { code: '5D', weight: 0.3, online: 0.001, victim: 'person', domesticAbuse: 0.2 },
  { code: '13', weight: 0.05, online: 0.05, victim: 'child' },
  // criminal damage and arson
  { code: '58A', weight: 3, online: 0.001, victim: 'person', domesticAbuse: 0.1 },
  { code: '58C', weight: 4, online: 0.0005, victim: 'person' },
  { code: '58B', weight: 1.5, online: 0.0005, victim: 'none' },
  { code: '58D', weight: 2, online: 0.0005, victim: 'person' },
  { code: '56B', weight: 1, online: 0.0005, victim: 'none' },
  { code: '58J', weight: 0.3, online: 0.005, victim: 'person', hate: 1 },
  // public order
  { code: '9A', weight: 5, online: 0.01, victim: 'person', hate: 0.02 },
  { code: '9B', weight: 0.8, online: 0.02, victim: 'person', hate: 1 },
  { code: '66', weight: 0.2, online: 0.02, victim: 'none' },
  // drugs, weapons, robbery
  { code: '92E', weight: 2, online: 0.002, victim: 'none' },
  { code: '92D', weight: 1, online: 0.002, victim: 'none' },
  { code: '92A', weight: 0.5, online: 0.01, victim: 'none' },
  { code: '10D', weight: 0.6, online: 0.001, victim: 'none' },
  { code: '10C', weight: 0.3, online: 0.001, victim: 'none' },
  { code: '34B', weight: 1.3, online: 0.005, victim: 'person' },
  { code: '34A', weight: 0.2, online: 0.001, victim: 'none' },
  // miscellaneous crimes against society
  { code: '86/2', weight: 0.4, online: 0.5, victim: 'child-sexual' },
  { code: '86', weight: 0.1, online: 0.44, victim: 'none' },
  { code: '99', weight: 0.2, online: 0.02, victim: 'none' },
  { code: '54', weight: 0.2, online: 0.02, victim: 'none' },
  { code: '83', weight: 0.3, online: 0, victim: 'none' },
  { code: '59', weight: 0.3, online: 0.05, victim: 'none' },
  // sexual offences against adults (some 20A/17A victims are 13-17)
  { code: '19C', weight: 0.5, online: 0.03, victim: 'adult-sexual', domesticAbuse: 0.3 },
  { code: '19F', weight: 0.05, online: 0.03, victim: 'adult-sexual' },
  { code: '20A', weight: 0.7, online: 0.03, victim: 'adult-sexual' },
  { code: '17A', weight: 0.1, online: 0.03, victim: 'adult-sexual' },
  { code: '22A', weight: 0.05, online: 0.05, victim: 'adult-sexual' },
  { code: '88E', weight: 0.3, online: 0.1, victim: 'adult-sexual' },
  // child sexual offences (~2.5% of records)
  { code: '19D', weight: 0.25, online: 0.1, victim: 'child-sexual' },
  { code: '19E', weight: 0.15, online: 0.06, victim: 'child-sexual' },
  { code: '19G', weight: 0.03, online: 0.1, victim: 'child-sexual' },
  { code: '19H', weight: 0.05, online: 0.06, victim: 'child-sexual' },
  { code: '20B', weight: 0.3, online: 0.06, victim: 'child-sexual' },
  { code: '17B', weight: 0.1, online: 0.06, victim: 'child-sexual' },
  { code: '21', weight: 0.15, online: 0.1, victim: 'child-sexual' },
  { code: '22B', weight: 0.35, online: 0.15, victim: 'child-sexual' },
  { code: '71', weight: 0.05, online: 0.3, victim: 'child-sexual' },
  { code: '73', weight: 0.05, online: 0.2, victim: 'child-sexual' },
  { code: '23', weight: 0.05, online: 0.05, victim: 'child-sexual' },
  { code: '88A', weight: 0.1, online: 0.6, victim: 'child-sexual' },
  { code: '71/17', weight: 0.3, online: 0.9, victim: 'child-sexual' }, // only from 3 April 2017
];

// Rough relative force sizes for synthetic data (not recorded-crime figures). Unlisted forces: 0.7.
export const FORCE_WEIGHTS: Readonly<Record<string, number>> = {
  metropolitan: 10,
  'greater-manchester': 4,
  'west-midlands': 3.5,
  'west-yorkshire': 3.5,
  'thames-valley': 2.3,
  hampshire: 2,
  kent: 2,
  essex: 1.7,
  lancashire: 1.8,
  'south-yorkshire': 1.8,
  merseyside: 1.7,
  'avon-and-somerset': 1.6,
  northumbria: 1.5,
  sussex: 1.4,
  'devon-and-cornwall': 1.3,
  'south-wales': 1.3,
  'west-mercia': 1.2,
  nottinghamshire: 1.1,
  staffordshire: 1,
  leicestershire: 1,
  hertfordshire: 1,
  humberside: 1,
  'dyfed-powys': 0.4,
  cumbria: 0.4,
  warwickshire: 0.4,
  'city-of-london': 0.1,
  btp: 0.6,
};

export const ONLINE_METHODS: readonly (readonly [method: string, platform: string])[] = [
  ['messages sent via a social media app on a smartphone', 'social network (fictitious)'],
  ['images shared through a messaging app', 'messaging app (fictitious)'],
  ['contact through an online game chat', 'online game (fictitious)'],
  ['video call on a laptop webcam', 'video chat app (fictitious)'],
  ['emails to the victim', 'email'],
  ['posts on a public forum', 'web forum (fictitious)'],
  ['listing on an online marketplace', 'marketplace website (fictitious)'],
  ['messages on a dating app', 'dating app (fictitious)'],
];
