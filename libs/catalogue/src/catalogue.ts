// Reference catalogue: regions, forces and Home Office offence classes, loaded from libs/catalogue/data/*.json.
// Pure code: no Nest, no TypeORM. The JSON is imported as JSON modules so that `tsc` emits it into dist/
// next to the compiled code (dist/libs/catalogue/data/*.json), and the app finds it at run time.
import authoritiesJson from '../data/authorities.json' with { type: 'json' };
import forcesJson from '../data/forces.json' with { type: 'json' };
import offencesJson from '../data/offences.json' with { type: 'json' };
import groupsJson from '../data/publication-groups.json' with { type: 'json' };
import principalJson from '../data/principal-crime.json' with { type: 'json' };
import regionsJson from '../data/regions.json' with { type: 'json' };
import unconfirmedJson from '../data/unconfirmed-offences.json' with { type: 'json' };
import type {
  Force,
  InvestigatingAuthority,
  OffenceDefinition,
  PrincipalCrimeEntry,
  PublicationGroup,
  RecordingBody,
  Region,
  Sex,
  SourceStatus,
  UnconfirmedOffence,
  VictimAgeBasis,
} from './catalogue.types.js';

export interface CatalogueData {
  regions: readonly Region[];
  forces: readonly Force[];
  offences: readonly OffenceDefinition[];
  /** Rows of published offence tables; the shipped groups when left out. */
  publicationGroups?: readonly PublicationGroup[];
  unconfirmedOffences?: readonly UnconfirmedOffence[]; // offences in law without a confirmed code
  authorities?: readonly InvestigatingAuthority[]; // transfer targets outside the 44 forces
  principalCrime?: readonly PrincipalCrimeEntry[]; // seriousness for the Principal Crime Rule (Section F)
}

// JSON modules are typed with plain `string` where the types use unions (status, victimSex, recordedBy),
// hence the casts. validateCatalogue() checks those values at run time.
export const catalogueData: CatalogueData = deepFreeze({
  regions: regionsJson as Region[],
  forces: forcesJson as Force[],
  offences: offencesJson as OffenceDefinition[],
  publicationGroups: groupsJson as PublicationGroup[],
  unconfirmedOffences: unconfirmedJson as UnconfirmedOffence[],
  authorities: authoritiesJson as InvestigatingAuthority[],
  principalCrime: principalJson as PrincipalCrimeEntry[],
});

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = ISO_DATE.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === value;
}

const londonDate = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

// A calendar date as 'YYYY-MM-DD'. A Date is read as a date in England and Wales (Europe/London), so that
// 00:30 BST on 1 April is 1 April, not 31 March as its UTC form would say.
export function toIsoDate(date: string | Date): string {
  if (date instanceof Date) {
    if (Number.isNaN(date.getTime())) throw new RangeError('Invalid Date');
    return londonDate.format(date);
  }
  if (!isIsoDate(date))
    throw new RangeError(`Not an ISO date (YYYY-MM-DD): ${JSON.stringify(date)}`);
  return date;
}

// True when a record with validFrom/validTo (inclusive; validTo null = open) covers the date.
export function coversDate(
  item: { validFrom: string; validTo: string | null },
  date: string | Date,
): boolean {
  const d = toIsoDate(date);
  return item.validFrom <= d && (item.validTo === null || d <= item.validTo);
}

// Offence codes as forces write them: any case, surrounding spaces, and zero-padded numbers ('86/02' for
// '86/2', '008/71' for '8/71'). Leading zeros go from the class and from the part after '/', never after '.'
// ('4.10' and '4.1' are different homicide sub-codes).
export function normaliseOffenceCode(code: string): string {
  return code
    .trim()
    .toUpperCase()
    .replace(/(^|\/)0+(?=\d)/g, '$1');
}
const normCode = normaliseOffenceCode;
const normId = (id: string): string => id.trim().toLowerCase();

// NFIB codes are Action Fraud / NFIB classifications (e.g. 'NFIB52B'); forces must not record them (R15).
const NFIB_CODE = /^NFIB/i;

export class Catalogue {
  private readonly data: CatalogueData;
  private readonly regionById = new Map<string, Region>();
  private readonly forceById = new Map<string, Force>();
  private readonly offenceByCode = new Map<string, OffenceDefinition>();

  // Defaults to the shipped JSON. Other data (tests, a future HOCR year) is copied and frozen, so neither
  // the caller nor the users of this catalogue can change the other's objects. Duplicates are not rejected
  // here (the first entry wins in look-ups); validateCatalogue() reports them.
  constructor(data: CatalogueData = catalogueData) {
    this.data = data === catalogueData ? data : deepFreeze(structuredClone(data));
    for (const r of this.data.regions)
      if (!this.regionById.has(normId(r.id))) this.regionById.set(normId(r.id), r);
    for (const f of this.data.forces)
      if (!this.forceById.has(normId(f.id))) this.forceById.set(normId(f.id), f);
    for (const o of this.data.offences) {
      if (!this.offenceByCode.has(normCode(o.code))) this.offenceByCode.set(normCode(o.code), o);
    }
  }

  // The lists are fresh arrays (sort or filter them freely); the entries themselves are frozen.
  regions(): Region[] {
    return [...this.data.regions];
  }

  forces(): Force[] {
    return [...this.data.forces];
  }

  offences(): OffenceDefinition[] {
    return [...this.data.offences];
  }

  publicationGroups(): PublicationGroup[] {
    return [...(this.data.publicationGroups ?? catalogueData.publicationGroups!)];
  }

  // The publication group of an offence code, if it has one (every sexual offence does).
  publicationGroupOf(code: string): PublicationGroup | undefined {
    const c = normCode(code);
    return this.publicationGroups().find((g) => g.codes.some((x) => normCode(x) === c));
  }

  // Look-ups ignore case and surrounding spaces ('19c' finds '19C', 'BTP' finds 'btp').
  // The maps' keys are already normal, and normalising is idempotent: a key found as it was written is the one its
  // normal form would find, so only other spellings are normalised (the rules look codes up several times a create).
  region(id: string): Region | undefined {
    return this.regionById.get(id) ?? this.regionById.get(normId(id));
  }

  force(id: string): Force | undefined {
    return this.forceById.get(id) ?? this.forceById.get(normId(id));
  }

  offence(code: string): OffenceDefinition | undefined {
    return this.offenceByCode.get(code) ?? this.offenceByCode.get(normCode(code));
  }

  // The catalogue's own spelling of a code a force wrote ('86/02' -> '86/2'), or undefined when unknown.
  // Records store this spelling, so the database's reference check and the returns see one code.
  canonicalCode(code: string): string | undefined {
    return this.offence(code)?.code;
  }

  // Investigating authorities outside the 44 forces (data/authorities.json): transfer targets.
  authorities(): InvestigatingAuthority[] {
    return [...(this.data.authorities ?? [])];
  }

  authority(id: string): InvestigatingAuthority | undefined {
    const key = normId(id);
    return this.data.authorities?.find((a) => normId(a.id) === key);
  }

  // Offences in law whose Home Office code is not confirmed (data/unconfirmed-offences.json).
  unconfirmedOffences(): UnconfirmedOffence[] {
    return [...(this.data.unconfirmedOffences ?? [])];
  }

  // The code's seriousness for the Principal Crime Rule (data/principal-crime.json), or undefined: not ranked.
  principalCrime(code: string): PrincipalCrimeEntry | undefined {
    const key = normCode(code);
    return this.data.principalCrime?.find((p) => normCode(p.code) === key);
  }

  principalCrimeEntries(): PrincipalCrimeEntry[] {
    return [...(this.data.principalCrime ?? [])];
  }

  forcesInRegion(regionId: string): Force[] {
    const id = normId(regionId);
    return this.data.forces.filter((f) => normId(f.regionId) === id);
  }

  // Forces that existed on the date (ISO 'YYYY-MM-DD' or a Date, read in Europe/London).
  forcesValidOn(date: string | Date): Force[] {
    const d = toIsoDate(date);
    return this.data.forces.filter((f) => coversDate(f, d));
  }

  // Forces that existed on any day of firstDay..lastDay (ISO dates, inclusive): a force merged mid-year
  // still owes that year's return for the part it existed (the forces a year's returns expect).
  forcesValidDuring(firstDay: string, lastDay: string): Force[] {
    return this.data.forces.filter(
      (f) => f.validFrom <= lastDay && (f.validTo === null || f.validTo >= firstDay),
    );
  }

  // Whether the code exists and its validFrom..validTo covers the date. Unknown code: false.
  // Which date to pass (offence date or recording date) is the caller's choice: see data/README.md.
  offenceValidOn(code: string, date: string | Date): boolean {
    const o = this.offence(code);
    return o !== undefined && coversDate(o, date);
  }

  // R15: true for catalogue entries recorded by Action Fraud / NFIB, and for any 'NFIB…' code,
  // listed or not (the catalogue holds only a few NFIB codes).
  isActionFraudCode(code: string): boolean {
    return this.offence(code)?.recordedBy === 'action_fraud' || NFIB_CODE.test(code.trim());
  }
}

export type CatalogueProblemKind =
  | 'duplicate-id'
  | 'missing-field'
  | 'missing-source'
  | 'invalid-value'
  | 'invalid-date'
  | 'date-order'
  | 'dangling-region'
  | 'age-range'
  | 'unknown-alternative'
  | 'inconsistent';

export interface CatalogueProblem {
  kind: CatalogueProblemKind;
  ref: string; // e.g. 'offence 19D', 'force btp', 'region london'
  message: string;
}

const STATUSES: readonly SourceStatus[] = ['CONFIRMED', 'SECONDARY', 'INFERRED', 'UNCONFIRMED'];
const SEXES: readonly Sex[] = ['female', 'male'];
const BODIES: readonly RecordingBody[] = ['police', 'action_fraud'];
const AGE_BASES: readonly VictimAgeBasis[] = ['offence', 'image'];

// Integrity check of the catalogue data. Returns every problem found; an empty list means consistent.
export function validateCatalogue(c: Catalogue | CatalogueData): CatalogueProblem[] {
  const data: CatalogueData =
    c instanceof Catalogue
      ? {
          regions: c.regions(),
          forces: c.forces(),
          offences: c.offences(),
          unconfirmedOffences: c.unconfirmedOffences(),
          authorities: c.authorities(),
          principalCrime: c.principalCrimeEntries(),
        }
      : c;
  const problems: CatalogueProblem[] = [];
  const add = (kind: CatalogueProblemKind, ref: string, message: string): void => {
    problems.push({ kind, ref, message });
  };
  const text = (ref: string, field: string, value: unknown): boolean => {
    if (typeof value === 'string' && value.trim() !== '') return true;
    add(
      field === 'source' ? 'missing-source' : 'missing-field',
      ref,
      `${field} is missing or empty`,
    );
    return false;
  };
  const duplicates = (kind: string, keys: string[]): void => {
    const seen = new Set<string>();
    for (const k of keys) {
      if (seen.has(k)) add('duplicate-id', `${kind} ${k}`, `${kind} ${k} appears more than once`);
      seen.add(k);
    }
  };
  const dates = (ref: string, item: { validFrom: unknown; validTo: unknown }): void => {
    const fromOk = isIsoDate(item.validFrom);
    const toOk = item.validTo === null || isIsoDate(item.validTo);
    if (!fromOk)
      add('invalid-date', ref, `validFrom ${JSON.stringify(item.validFrom)} is not an ISO date`);
    if (!toOk)
      add(
        'invalid-date',
        ref,
        `validTo ${JSON.stringify(item.validTo)} is not an ISO date or null`,
      );
    if (
      fromOk &&
      toOk &&
      item.validTo !== null &&
      (item.validTo as string) < (item.validFrom as string)
    ) {
      add(
        'date-order',
        ref,
        `validTo ${String(item.validTo)} is before validFrom ${String(item.validFrom)}`,
      );
    }
  };

  // Regions
  for (const r of data.regions) {
    const ref = `region ${String(r.id)}`;
    text(ref, 'id', r.id);
    text(ref, 'name', r.name);
    text(ref, 'source', r.source);
  }
  duplicates(
    'region',
    data.regions.map((r) => normId(String(r.id))),
  );
  const regionIds = new Set(data.regions.map((r) => normId(String(r.id))));

  // Forces
  for (const f of data.forces) {
    const ref = `force ${String(f.id)}`;
    text(ref, 'id', f.id);
    text(ref, 'name', f.name);
    text(ref, 'source', f.source);
    if (text(ref, 'regionId', f.regionId) && !regionIds.has(normId(f.regionId))) {
      add('dangling-region', ref, `regionId ${f.regionId} is not a known region`);
    }
    if (typeof f.territorial !== 'boolean')
      add('invalid-value', ref, 'territorial must be true or false');
    dates(ref, f);
  }
  duplicates(
    'force',
    data.forces.map((f) => normId(String(f.id))),
  );

  // Offences
  const byCode = new Map(data.offences.map((o) => [normCode(String(o.code)), o] as const));
  for (const o of data.offences) {
    const ref = `offence ${String(o.code)}`;
    text(ref, 'code', o.code);
    text(ref, 'name', o.name);
    text(ref, 'group', o.group);
    text(ref, 'subgroup', o.subgroup);
    text(ref, 'source', o.source);
    if (!STATUSES.includes(o.status))
      add(
        'invalid-value',
        ref,
        `status ${JSON.stringify(o.status)} is not one of ${STATUSES.join(', ')}`,
      );
    if (!BODIES.includes(o.recordedBy))
      add(
        'invalid-value',
        ref,
        `recordedBy ${JSON.stringify(o.recordedBy)} is not one of ${BODIES.join(', ')}`,
      );
    if (o.victimSex !== null && !SEXES.includes(o.victimSex))
      add(
        'invalid-value',
        ref,
        `victimSex ${JSON.stringify(o.victimSex)} is not female, male or null`,
      );
    for (const flag of [
      'sexualOffence',
      'rape',
      'usuallyOnline',
      'tableB',
      'personalVictim',
    ] as const) {
      if (typeof o[flag] !== 'boolean') add('invalid-value', ref, `${flag} must be true or false`);
    }
    if (o.rape && !o.sexualOffence)
      add('inconsistent', ref, 'rape is true but sexualOffence is false');
    // The return's A-B sum check compares table B with table A's sexual offences, so B's set stays inside them.
    if (o.tableB && !o.sexualOffence)
      add(
        'inconsistent',
        ref,
        "tableB is true but sexualOffence is false (table B must be a subset of table A's sexual offences)",
      );
    for (const [who, min, max] of [
      ['victim', o.victimAgeMin, o.victimAgeMax],
      ['offender', o.offenderAgeMin, o.offenderAgeMax],
    ] as const) {
      for (const [end, v] of [
        ['min', min],
        ['max', max],
      ] as const) {
        if (v !== null && (!Number.isInteger(v) || v < 0 || v > 130)) {
          add(
            'age-range',
            ref,
            `${who} age ${end} ${JSON.stringify(v)} is not a whole number of years between 0 and 130`,
          );
        }
      }
      if (min !== null && max !== null && min > max)
        add('age-range', ref, `${who} age min ${min} is above max ${max}`);
    }
    if (o.under13Alternative !== null) {
      const alt = byCode.get(normCode(String(o.under13Alternative)));
      if (alt === undefined) {
        add(
          'unknown-alternative',
          ref,
          `under13Alternative ${String(o.under13Alternative)} is not a known code`,
        );
      } else {
        if (normCode(alt.code) === normCode(o.code))
          add('inconsistent', ref, 'under13Alternative points to itself');
        if (alt.victimAgeMax === null || alt.victimAgeMax > 12) {
          add(
            'inconsistent',
            ref,
            `under13Alternative ${alt.code} is not an under-13 code (victimAgeMax ${String(alt.victimAgeMax)})`,
          );
        }
        if (o.victimSex !== null && alt.victimSex !== null && alt.victimSex !== o.victimSex) {
          add(
            'inconsistent',
            ref,
            `under13Alternative ${alt.code} implies a ${alt.victimSex} victim, ${o.code} a ${o.victimSex} one`,
          );
        }
      }
    }
    dates(ref, o);
    if (o.commencedOn !== null && !isIsoDate(o.commencedOn)) {
      add(
        'invalid-date',
        ref,
        `commencedOn ${JSON.stringify(o.commencedOn)} is not an ISO date or null`,
      );
    }
    if (!AGE_BASES.includes(o.victimAgeAt))
      add(
        'invalid-value',
        ref,
        `victimAgeAt ${JSON.stringify(o.victimAgeAt)} is not one of ${AGE_BASES.join(', ')}`,
      );
    if (
      !Array.isArray(o.impliedHateStrands) ||
      o.impliedHateStrands.some((x) => typeof x !== 'string' || x === '')
    ) {
      add('invalid-value', ref, 'impliedHateStrands must be a list of strand names');
    }
    const keywords = o.usuallyOnlineMethodKeywords;
    if (
      keywords !== null &&
      (!Array.isArray(keywords) ||
        keywords.length === 0 ||
        keywords.some((k) => typeof k !== 'string' || k.trim() === ''))
    ) {
      add(
        'invalid-value',
        ref,
        'usuallyOnlineMethodKeywords must be null or a non-empty list of words',
      );
    } else if (keywords !== null && !o.usuallyOnline) {
      add('inconsistent', ref, 'usuallyOnlineMethodKeywords given but usuallyOnline is false');
    }
    if (!Array.isArray(o.replacedBy)) {
      add('invalid-value', ref, 'replacedBy must be a list of codes');
    } else {
      if (o.replacedBy.length > 0 && o.validTo === null)
        add('inconsistent', ref, 'replacedBy given but the code has no validTo');
      for (const next of o.replacedBy) {
        const successor = byCode.get(normCode(String(next)));
        if (successor === undefined)
          add('unknown-alternative', ref, `replacedBy ${String(next)} is not a known code`);
        // The successor must be usable the day after this code ends, or a record would have no code at all.
        else if (o.validTo !== null && !coversDate(successor, nextDay(o.validTo))) {
          add(
            'inconsistent',
            ref,
            `replacedBy ${successor.code} is not valid on ${nextDay(o.validTo)}, the day after ${o.code} ends`,
          );
        }
      }
    }
  }
  duplicates(
    'offence',
    data.offences.map((o) => normCode(String(o.code))),
  );

  // Publication groups: each sexual offence in exactly one group; a rape group holds rape codes only.
  const groups = data.publicationGroups ?? [];
  for (const g of groups) {
    const ref = `publication group ${String(g.id)}`;
    text(ref, 'id', g.id);
    text(ref, 'name', g.name);
    text(ref, 'source', g.source);
    if (typeof g.rape !== 'boolean') add('invalid-value', ref, 'rape must be true or false');
    for (const code of g.codes) {
      const o = byCode.get(normCode(String(code)));
      if (!o) add('invalid-value', ref, `code ${String(code)} is not a known offence`);
      else if (!o.sexualOffence) add('inconsistent', ref, `${o.code} is not a sexual offence`);
      else if (o.rape !== g.rape)
        add(
          'inconsistent',
          ref,
          `${o.code} ${o.rape ? 'is' : 'is not'} a rape code, the group ${g.rape ? 'is' : 'is not'}`,
        );
    }
  }
  duplicates(
    'publication group',
    groups.map((g) => normId(String(g.id))),
  );
  duplicates(
    'publication group member',
    groups.flatMap((g) => g.codes.map((c) => normCode(String(c)))),
  );
  if (data.publicationGroups !== undefined) {
    for (const o of data.offences) {
      if (
        o.sexualOffence &&
        !groups.some((g) => g.codes.some((c) => normCode(c) === normCode(o.code)))
      ) {
        add('missing-field', `offence ${o.code}`, 'sexual offence in no publication group');
      }
    }
  }
  // Offences without a confirmed code
  for (const u of data.unconfirmedOffences ?? []) {
    const ref = `unconfirmed offence ${String(u.id)}`;
    text(ref, 'id', u.id);
    text(ref, 'name', u.name);
    text(ref, 'statute', u.statute);
    text(ref, 'source', u.source);
    if (u.inForceFrom !== null && !isIsoDate(u.inForceFrom))
      add(
        'invalid-date',
        ref,
        `inForceFrom ${JSON.stringify(u.inForceFrom)} is not an ISO date or null`,
      );
    if (u.candidateCode !== null && !byCode.has(normCode(String(u.candidateCode)))) {
      add(
        'unknown-alternative',
        ref,
        `candidateCode ${String(u.candidateCode)} is not a known code`,
      );
    }
  }
  duplicates(
    'unconfirmed offence',
    (data.unconfirmedOffences ?? []).map((u) => String(u.id)),
  );

  // Investigating authorities: never one of the forces (a transfer names either a force or an authority)
  const forceIds = new Set(data.forces.map((f) => normId(String(f.id))));
  for (const a of data.authorities ?? []) {
    const ref = `authority ${String(a.id)}`;
    text(ref, 'id', a.id);
    text(ref, 'name', a.name);
    text(ref, 'jurisdiction', a.jurisdiction);
    text(ref, 'source', a.source);
    if (forceIds.has(normId(String(a.id))))
      add('inconsistent', ref, `authority ${String(a.id)} has the id of a force`);
  }
  duplicates(
    'authority',
    (data.authorities ?? []).map((a) => normId(String(a.id))),
  );

  // Principal crime seriousness: a known code, life xor a positive number of months, a status and a source.
  for (const p of data.principalCrime ?? []) {
    const ref = `principal crime ${String(p.code)}`;
    text(ref, 'statute', p.statute);
    text(ref, 'source', p.source);
    if (!byCode.has(normCode(String(p.code))))
      add('unknown-alternative', ref, `code ${String(p.code)} is not a known code`);
    const months = p.maxSentenceMonths;
    if (p.life ? months !== null : !(Number.isInteger(months) && (months as number) > 0))
      add(
        'invalid-value',
        ref,
        'give life: true with no months, or a positive whole number of months',
      );
    if (!STATUSES.includes(p.status))
      add('invalid-value', ref, `status ${String(p.status)} is not a source label`);
  }
  duplicates(
    'principal crime',
    (data.principalCrime ?? []).map((p) => normCode(String(p.code))),
  );

  return problems;
}

function nextDay(isoDate: string): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
