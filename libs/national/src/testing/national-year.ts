// Test and bench support: a national year shaped like a real one (issue 19): 38 of the 44 forces accepted,
// about 3,200 online child sexual offences, every force between 40 and 600 of them (the Met the largest),
// hundreds to thousands of other crimes per force, and a handful of small cells in the offence × age band
// detail. Deterministic (seeded), no database.
import { Catalogue } from '#libs/catalogue';
import type { FakeRow } from './fake-counts.js';

// mulberry32: the same seed gives the same year.
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Share of a force's online child sexual offences by code and victim age (ages drawn within the range).
const PROFILE: { code: string; share: number; ages: [number, number] }[] = [
  { code: '88A', share: 0.25, ages: [13, 15] },
  { code: '71/17', share: 0.05, ages: [10, 12] },
  { code: '71/17', share: 0.15, ages: [13, 15] },
  { code: '71', share: 0.03, ages: [16, 17] },
  { code: '71', share: 0.02, ages: [13, 15] },
  { code: '22B', share: 0.12, ages: [13, 15] },
  { code: '21', share: 0.02, ages: [5, 9] },
  { code: '21', share: 0.04, ages: [10, 12] },
  { code: '20A', share: 0.05, ages: [13, 15] },
  { code: '20A', share: 0.02, ages: [16, 17] },
  { code: '20B', share: 0.015, ages: [5, 9] },
  { code: '20B', share: 0.025, ages: [10, 12] },
  { code: '19D', share: 0.04, ages: [13, 15] },
  { code: '19E', share: 0.01, ages: [5, 9] },
  { code: '19E', share: 0.02, ages: [10, 12] },
  { code: '19C', share: 0.02, ages: [16, 17] },
  { code: '88E', share: 0.04, ages: [13, 15] },
  { code: '88E', share: 0.02, ages: [16, 17] },
  { code: '21', share: 0.01, ages: [0, 4] },
  { code: '20B', share: 0.01, ages: [0, 4] },
];

// The small detailed cells of a real year: a few records in combinations that are rare nationally.
const SMALL: { force: number; row: FakeRow }[] = [
  { force: 3, row: { code: '19E', n: 2, age: 3, sex: 'female' } }, // rape, 0-4
  { force: 11, row: { code: '88E', n: 1, age: 4, sex: 'male' } }, // other sexual offences, 0-4
  { force: 17, row: { code: '88E', n: 2, age: 8, sex: 'female' } }, // other sexual offences, 5-9
  { force: 5, row: { code: '20B', n: 3, age: null, sex: 'female' } }, // sexual assault, age unknown
  { force: 23, row: { code: '88A', n: 4, age: null, sex: 'unknown' } }, // grooming, age unknown
  { force: 29, row: { code: '19H', n: 1, age: 11, sex: 'male' } }, // rape of a boy under 13
];

export interface NationalYear {
  data: Record<string, FakeRow[]>; // accepted forces' records, by force id
  accepted: string[];
  notAccepted: string[];
}

/** The generated year: `forces` accepted (default 38) of the catalogue's 44. */
export function nationalYear(seed = 2021, forces = 38, catalogue = new Catalogue()): NationalYear {
  const r = rng(seed);
  const all = catalogue
    .forces()
    .map((f) => f.id)
    .sort();
  // The Met always reports; the others not accepted are spread through the list.
  const others = all.filter((id) => id !== 'metropolitan');
  const step = Math.max(1, Math.floor(others.length / Math.max(1, all.length - forces)));
  const notAccepted = others.filter((_, i) => i % step === 1).slice(0, all.length - forces);
  const accepted = all.filter((id) => !notAccepted.includes(id));
  const data: Record<string, FakeRow[]> = {};
  accepted.forEach((id, f) => {
    const size = id === 'metropolitan' ? 520 : 42 + Math.floor(r() * 62);
    const rows: FakeRow[] = [];
    for (const p of PROFILE) {
      const n = Math.floor(p.share * size + r());
      for (let k = 0; k < n; k++) {
        const age = p.ages[0] + Math.floor(r() * (p.ages[1] - p.ages[0] + 1));
        const s = r();
        rows.push({
          code: p.code,
          n: 1,
          age,
          sex: s < 0.8 ? 'female' : s < 0.985 ? 'male' : 'unknown',
        });
      }
    }
    rows.push(...SMALL.filter((x) => x.force === f).map((x) => x.row));
    const online = id === 'metropolitan' ? 6000 : 300 + Math.floor(r() * 1500);
    const offline = id === 'metropolitan' ? 60000 : 3000 + Math.floor(r() * 15000);
    rows.push({ code: '8L', n: online }, { code: '8L', flag: 'no', n: offline });
    data[id] = merge(rows);
  });
  return { data, accepted, notAccepted };
}

// One row per code, age and sex (as the cube holds them).
function merge(rows: FakeRow[]): FakeRow[] {
  const out = new Map<string, FakeRow>();
  for (const row of rows) {
    const key = `${row.code}|${row.flag ?? 'yes'}|${String(row.age)}|${row.sex ?? ''}`;
    const seen = out.get(key);
    if (seen) seen.n += row.n;
    else out.set(key, { ...row });
  }
  return [...out.values()];
}
