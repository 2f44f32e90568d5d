// Cell-by-cell comparison of two revisions' tables. Rows are matched by what they describe (an
// offence code, an age band, a removal category…), not by position, so a row that appears in one
// revision only shows as its cells added or removed and does not shift every row after it.
import type { CellChange } from './lifecycle.types.js';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

// The key of each kind of row, by the array it sits in.
const ROW_KEYS: Record<string, (row: Record<string, Json>, index: number) => string> = {
  'tableA.rows': (r) =>
    r.level === 'offence'
      ? `offence ${r.offenceCode}`
      : r.level === 'group'
        ? `group ${r.group}`
        : 'total',
  'tableB.rows': (r) =>
    r.level === 'age'
      ? `age ${r.age ?? 'unknown'}`
      : r.level === 'band'
        ? `band ${r.band}`
        : 'total',
  'tableC.flagChanges': (r) => String(r.direction),
  'tableC.removals': (r) => (r.level === 'total' ? 'total' : `${r.status} ${r.category}`),
  'tableC.ruleWarnings': (r) => String(r.ruleCode),
};

export function diffTables(oldTables: unknown, newTables: unknown): CellChange[] {
  const out: CellChange[] = [];
  walk(oldTables as Json, newTables as Json, '', '', out);
  return out;
}

// path: what is shown ('tableA.rows[offence 8L].flagYes'); shape: the same without row keys, to
// find which key function applies ('tableA.rows').
function walk(
  a: Json | undefined,
  b: Json | undefined,
  path: string,
  shape: string,
  out: CellChange[],
): void {
  if (Array.isArray(a) || Array.isArray(b)) {
    const keyOf = ROW_KEYS[shape] ?? ((_: Record<string, Json>, i: number) => String(i));
    const index = (rows: Json[] | undefined) =>
      new Map(
        (Array.isArray(rows) ? rows : []).map(
          (r, i) => [keyOf(r as Record<string, Json>, i), r] as const,
        ),
      );
    const left = index(a as Json[] | undefined);
    const right = index(b as Json[] | undefined);
    for (const key of union([...left.keys()], [...right.keys()])) {
      walk(left.get(key), right.get(key), `${path}[${key}]`, shape, out);
    }
    return;
  }
  if (isObject(a) || isObject(b)) {
    const left = isObject(a) ? a : {};
    const right = isObject(b) ? b : {};
    for (const key of union(Object.keys(left), Object.keys(right))) {
      const sub = path ? `${path}.${key}` : key;
      walk(left[key], right[key], sub, shape ? `${shape}.${key}` : key, out);
    }
    return;
  }
  // A cell missing on one side counts as null, so a new row lists its non-null cells only.
  if ((a ?? null) === (b ?? null)) return;
  out.push({ path, old: a ?? null, new: b ?? null });
}

function isObject(v: Json | undefined): v is { [k: string]: Json } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

// Order of the old revision, then what only the new one has.
function union(a: string[], b: string[]): string[] {
  return [...a, ...b.filter((k) => !a.includes(k))];
}
