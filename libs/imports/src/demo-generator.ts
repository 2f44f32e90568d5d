// Synthetic, clearly fictitious national demo data: one financial year, all forces, in the import row
// form. References are DEMO-<FORCE>-<year>-<n>; the year is part of <n> so two demo years never claim
// the same record. Every row passes the blocking recording rules against the real catalogue (tested).
// The shares in demo-profile.ts are rough values for synthetic data, not statistics.
import type { Writable } from 'node:stream';
import { Catalogue, coversDate, type Force, type OffenceDefinition } from '#libs/catalogue';
import {
  HATE_STRANDS,
  financialYearPeriod,
  londonMidnight,
  type HateStrand,
} from '#libs/recording-rules';
import { csvDataRecord } from '#libs/csv';
import { writeLines } from './csv-format.js';
import {
  FORCE_WEIGHTS,
  OFFENCE_PROFILES,
  ONLINE_METHODS,
  type OffenceProfile,
} from './demo-profile.js';
import { Prng, WeightedTable } from './demo-prng.js';
import { IMPORT_COLUMNS, type ImportRowObject } from './import-row.js';

export interface DemoOptions {
  year: number; // first year of the financial year: 2015 = 2015-16
  records: number;
  seed: string;
  catalogue?: Catalogue; // defaults to the shipped catalogue
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

// Ages of child victims of sexual offences: most common 13, few under 10, youngest 1 (NSPCC 2015-16,
// domain.md §4.1), as rough weights.
const CHILD_AGES = new WeightedTable<number>([
  [1, 0.3],
  [2, 0.4],
  [3, 0.5],
  [4, 0.6],
  [5, 0.7],
  [6, 0.8],
  [7, 0.9],
  [8, 1],
  [9, 1.2],
  [10, 3],
  [11, 5],
  [12, 9],
  [13, 20],
  [14, 17],
  [15, 14],
  [16, 7],
  [17, 5],
]);
const STRANDS = new WeightedTable<HateStrand>([
  ['race', 0.6],
  ['religion', 0.1],
  ['sexual_orientation', 0.15],
  ['disability', 0.08],
  ['transgender', 0.07],
]);

interface Offence {
  profile: OffenceProfile;
  def: OffenceDefinition;
  commenced: Date | null; // first instant the code may be used for conduct (R11)
  from: number; // the code table allows it on records made from this instant (validFrom)…
  until: number; // …until this one (the day after validTo; Infinity when open)
}

export function* generateDemoCrimes(options: DemoOptions): Generator<ImportRowObject> {
  const { year, records, seed } = options;
  if (!Number.isInteger(records) || records < 0)
    throw new RangeError(`records must be a whole number, got ${records}`);
  const catalogue = options.catalogue ?? new Catalogue();
  const period = financialYearPeriod(year);
  const lastInstant = new Date(period.end.getTime() - 1);
  // Forces that exist for the whole year (a merger mid-year would need its own handling).
  const forces = catalogue
    .forces()
    .filter((f) => coversDate(f, period.start) && coversDate(f, lastInstant));
  if (forces.length === 0) throw new RangeError(`no forces in the catalogue for ${year}`);
  const forceTable = new WeightedTable<Force>(forces.map((f) => [f, FORCE_WEIGHTS[f.id] ?? 0.7]));
  const offenceTable = new WeightedTable<Offence>(
    usableOffences(catalogue, period).map((o) => [o, o.profile.weight]),
  );
  const rng = new Prng(`cyberflag-demo:${seed}:${year}`);
  const counters = new Map<string, number>();
  const span = period.end.getTime() - period.start.getTime() - MINUTE;

  for (let i = 0; i < records; i++) {
    const force = i < forces.length ? forces[i] : forceTable.draw(rng); // every force appears
    const n = (counters.get(force.id) ?? 0) + 1;
    counters.set(force.id, n);
    const recordedAt = new Date(
      period.start.getTime() + Math.floor((rng.next() * span) / MINUTE) * MINUTE,
    );
    const reportedAt = new Date(recordedAt.getTime() - recordingDelay(rng));
    const offence = drawOffence(rng, offenceTable, reportedAt, recordedAt);
    yield row(
      rng,
      `DEMO-${force.id.toUpperCase()}-${year}-${String(n).padStart(6, '0')}`,
      force,
      offence,
      reportedAt,
      recordedAt,
    );
  }
}

// Police-recorded codes the code table allows at some time in the year.
function usableOffences(catalogue: Catalogue, period: { start: Date; end: Date }): Offence[] {
  // 00:00 London time on an ISO date, or on the day after it.
  const midnight = (iso: string, plusDays = 0) => {
    const [y, m, d] = iso.split('-').map(Number);
    const day = new Date(Date.UTC(y, m - 1, d + plusDays));
    return londonMidnight(day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate());
  };
  const usable: Offence[] = [];
  for (const profile of OFFENCE_PROFILES) {
    const def = catalogue.offence(profile.code);
    if (!def || def.recordedBy !== 'police') continue;
    const from = midnight(def.validFrom).getTime();
    const until = def.validTo === null ? Infinity : midnight(def.validTo, 1).getTime();
    const commenced = def.commencedOn === null ? null : midnight(def.commencedOn);
    const last = period.end.getTime() - 1;
    if (
      from > last ||
      until <= period.start.getTime() ||
      (commenced !== null && commenced.getTime() > last)
    )
      continue;
    usable.push({ profile, def, commenced, from, until });
  }
  if (usable.length === 0)
    throw new RangeError('no demo offence codes are in the catalogue for this year');
  return usable;
}

// A code valid on the recorded date (R11 code table) and, if it created a new offence (71/17), commenced
// before the report, so the conduct can follow the commencement.
function drawOffence(
  rng: Prng,
  table: WeightedTable<Offence>,
  reportedAt: Date,
  recordedAt: Date,
): Offence {
  for (let attempt = 0; attempt < 1000; attempt++) {
    const o = table.draw(rng);
    const recorded = recordedAt.getTime();
    if (recorded < o.from || recorded >= o.until) continue;
    if (o.commenced === null || o.commenced.getTime() <= reportedAt.getTime()) return o;
  }
  throw new RangeError(`no demo offence code is valid on ${recordedAt.toISOString()}`);
}

// Mostly recorded within the 24 hours NCRS allows; ~4% later (CF-TIME-001 warnings for the FCR's KPI).
function recordingDelay(rng: Prng): number {
  const u = rng.next();
  if (u < 0.9) return rng.int(5, 12 * 60) * MINUTE;
  if (u < 0.96) return rng.int(12 * 60, 24 * 60 - 1) * MINUTE;
  return rng.int(25 * 60, 96 * 60) * MINUTE;
}

function row(
  rng: Prng,
  reference: string,
  force: Force,
  offence: Offence,
  reportedAt: Date,
  recordedAt: Date,
): ImportRowObject {
  const { profile, def } = offence;
  const childSexual = profile.victim === 'child-sexual';
  // Offence dates: mostly a single date shortly before the report; child sexual offences are more often
  // a period, and reported later.
  const lagMax = childSexual && rng.chance(0.3) ? 365 * DAY : rng.chance(0.85) ? 3 * DAY : 60 * DAY;
  let end = new Date(reportedAt.getTime() - Math.floor((rng.next() * lagMax) / MINUTE) * MINUTE);
  let start = rng.chance(0.7)
    ? end
    : new Date(end.getTime() - rng.int(30, (childSexual ? 365 : 30) * 24 * 60) * MINUTE);
  if (offence.commenced) {
    if (end < offence.commenced) end = offence.commenced;
    if (start < offence.commenced) start = offence.commenced;
  }
  const draft = rng.chance(0.03);
  let { age, sex } = victim(rng, profile, def);
  if (draft && profile.victim !== 'none' && rng.chance(0.4)) age = null; // drafts: details still to come
  let suspectAge = suspect(rng, def, profile.victim === 'none' ? 0.5 : 0.4);
  const domesticAbuse =
    profile.domesticAbuse !== undefined &&
    (age === null || age >= 16) &&
    rng.chance(profile.domesticAbuse);
  if (domesticAbuse && suspectAge !== null && suspectAge < 16) suspectAge = rng.int(16, 70); // DA: both 16+
  const strands = hateStrands(rng, profile);
  const child = age !== null && age < 18 && childSexual;
  const online = draft && rng.chance(0.7) ? 'unknown' : rng.chance(profile.online) ? 'yes' : 'no';
  const [method, platform] = rng.pick(ONLINE_METHODS);
  const withMethod = online === 'yes' && rng.chance(0.98); // a few without: CF-FLAG-002 for the auditors
  const iso = (d: Date) => `${d.toISOString().slice(0, 19)}Z`;
  return {
    crime_reference: reference,
    force_id: force.id,
    offence_code: def.code,
    reported_at: iso(reportedAt),
    recorded_at: iso(recordedAt),
    offence_from: iso(start),
    offence_to: start.getTime() === end.getTime() ? '' : iso(end),
    online_flag: online,
    online_method: withMethod ? method : '',
    victim_age: age === null ? '' : String(age),
    victim_sex: sex,
    status: draft ? 'draft' : 'confirmed',
    online_platform: withMethod && rng.chance(0.6) ? platform : '',
    suspect_age: suspectAge === null ? '' : String(suspectAge),
    domestic_abuse: domesticAbuse ? 'true' : 'false',
    hate_strands: strands.join(';'),
    child_sexual_exploitation: child && rng.chance(0.15) ? 'true' : 'false',
    child_sexual_abuse: child && rng.chance(0.7) ? 'true' : 'false',
    acknowledge: '',
  };
}

function victim(
  rng: Prng,
  profile: OffenceProfile,
  def: OffenceDefinition,
): { age: number | null; sex: string } {
  const sexOf = (femaleShare: number) =>
    def.victimSex ?? (rng.chance(femaleShare) ? 'female' : 'male');
  switch (profile.victim) {
    case 'none':
      return { age: null, sex: 'unknown' };
    case 'child':
      return { age: rng.int(0, 15), sex: sexOf(0.5) };
    case 'child-sexual': {
      // Under-16 codes with an under-13 alternative (19D → 19E) take 13-15 only: a younger victim
      // would be a CF-AGE-005 'confirm' finding, which rejects an import row without an acknowledgement.
      const max = def.victimAgeMax ?? 17;
      const min = def.under13Alternative !== null ? 13 : (def.victimAgeMin ?? 1);
      return { age: rng.chance(0.02) ? null : childAge(rng, min, max), sex: sexOf(0.8) };
    }
    case 'adult-sexual': {
      const min = def.victimAgeMin ?? 16;
      const age =
        min <= 13 && rng.chance(0.35) ? childAge(rng, min, 17) : rng.int(Math.max(min, 18), 70);
      return { age: rng.chance(0.02) ? null : age, sex: sexOf(0.85) };
    }
    case 'person': {
      const roll = rng.next();
      const age = roll < 0.03 ? null : roll < 0.11 ? rng.int(10, 17) : rng.int(18, 85);
      const sex = rng.chance(0.02) ? 'unknown' : sexOf(0.5);
      return { age, sex };
    }
  }
}

function childAge(rng: Prng, min: number, max: number): number {
  for (;;) {
    const age = CHILD_AGES.draw(rng);
    if (age >= min && age <= max) return age;
  }
}

// Suspect age within the code's offender limits (R5, R6: 18+ for 88A, 71/17), or unknown.
function suspect(rng: Prng, def: OffenceDefinition, unknownShare: number): number | null {
  const lo = def.offenderAgeMin ?? 14;
  const hi = def.offenderAgeMax ?? 75;
  return lo > hi || rng.chance(unknownShare) ? null : rng.int(lo, hi);
}

function hateStrands(rng: Prng, profile: OffenceProfile): HateStrand[] {
  if (profile.hate === 1) return [rng.chance(0.85) ? 'race' : 'religion']; // racially or religiously aggravated
  if (profile.victim === 'none' || !rng.chance(profile.hate ?? 0.01)) return [];
  const first = STRANDS.draw(rng);
  if (!rng.chance(0.05)) return [first];
  const second =
    HATE_STRANDS.find((s) => s !== first && rng.chance(0.5)) ??
    HATE_STRANDS.find((s) => s !== first)!;
  return [first, second];
}

// The rows as CSV text lines (header first, CRLF line ends).
export function* demoCsvLines(rows: Iterable<ImportRowObject>): Generator<string> {
  yield csvDataRecord(IMPORT_COLUMNS);
  for (const r of rows) yield csvDataRecord(IMPORT_COLUMNS.map((c) => r[c]));
}

// The rows as NDJSON lines.
export function* demoNdjsonLines(rows: Iterable<ImportRowObject>): Generator<string> {
  for (const r of rows) yield `${JSON.stringify(r)}\n`;
}

// Writes the rows as a CSV file, honouring back-pressure. Does not end the stream.
export async function writeDemoCsv(rows: Iterable<ImportRowObject>, out: Writable): Promise<void> {
  await writeLines(demoCsvLines(rows), out);
}
