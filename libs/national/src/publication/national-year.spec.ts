// Issue 19 acceptance: a publication of a national year shaped like a real one (38 of 44 forces, about
// 3,000 online child sexual offences, every force between 40 and 600, a few small detailed cells) shows what
// is safe to show: no force or region cell of 15 or more suppressed, at most 10 % of the cells suppressed,
// the national headline figures published, and no suppressed figure narrowed to within its protection
// interval by the exact attacker working from the published strings of all linked tables at once.
import { Catalogue } from '#libs/catalogue';
import { resolveDisclosureConfig, SUPPRESSED, type DisclosureConfig } from '#libs/disclosure';
import {
  fakeForces,
  fakeOffenceAges,
  nationalYear,
  publishedReader,
  publishedText,
  trueCount,
} from '#libs/national/testing';
import { buildCoverage } from '../coverage.js';
import { nationalPeriod } from '../period.js';
import { buildPublication } from './build-publication.js';
import { buildCountTables, linkedModel } from './count-tables.js';
import type { PublicationContent, PublishedTableEntry } from './publication.types.js';

const catalogue = new Catalogue();
const Y = nationalPeriod(2021);
const year = nationalYear();
const forces = fakeForces(year.data);
const ages = fakeOffenceAges(year.data);
const heads = year.accepted.map((forceId) => ({
  forceId,
  state: 'accepted' as const,
  revision: 1,
  sha256: 'a'.repeat(64),
}));

function publish(disclosure: DisclosureConfig): PublicationContent {
  return buildPublication({
    title: 'A real-shaped year',
    period: Y,
    disclosure,
    catalogue,
    coverage: buildCoverage(catalogue, Y, heads, 'accepted'),
    forces,
    offenceAges: ages,
    offenceAgesNote: null,
    definitions: {},
    generatedAt: new Date('2022-06-01T00:00:00Z'),
  });
}

const cellsOf = (t: PublishedTableEntry) => t.table.cells.flat();

describe.each<[string, DisclosureConfig]>([
  ['threshold 5', { method: 'threshold' }],
  ['ONS 10-5', { method: 'ons-10-5' }],
])('a national year shaped like a real one (%s)', (_name, disclosure) => {
  const p = publish(disclosure);
  const cfg = resolveDisclosureConfig(disclosure);
  const table = (id: string) => p.tables.find((t) => t.id === id)!;
  const count = buildCountTables(catalogue, Y, forces, ages);

  it('is shaped like a real year', () => {
    expect(year.accepted).toHaveLength(38);
    const cso = forces.map((f) => f.tableB.summary.total);
    expect(Math.min(...cso)).toBeGreaterThanOrEqual(40);
    expect(Math.max(...cso)).toBeLessThanOrEqual(600);
    expect(cso.reduce((s, n) => s + n, 0)).toBeGreaterThan(2500);
    // a handful of small detailed cells, none in the force table
    const small = count.offenceBand!.counts.flat().filter((n) => n > 0 && n < 5);
    expect(small.length).toBeGreaterThanOrEqual(4);
    expect(count.forceFlag.counts.flat().every((n) => n >= 15)).toBe(true);
  });

  it('suppresses no force or region cell of 15 or more, and at most 10 % of the cells', () => {
    const forceTable = table('force-by-flag');
    forceTable.table.cells.forEach((line, r) =>
      line.forEach((v, c) => {
        if (count.forceFlag.counts[r]![c]! >= 15) expect(v).not.toBe(SUPPRESSED);
      }),
    );
    expect(cellsOf(table('region-by-flag'))).not.toContain(SUPPRESSED);
    const all = p.tables.flatMap(cellsOf).filter((v) => v !== '[z]');
    const hidden = all.filter((v) => v === SUPPRESSED).length;
    expect(hidden / all.length).toBeLessThanOrEqual(0.1);
    expect(p.disclosureReport).toMatchObject({
      method: 'optimal',
      cells: all.length,
      cellsSuppressed: hidden,
    });
    expect(p.disclosureReport.cellsSuppressedPercent).toBeLessThanOrEqual(10);
  });

  it('publishes the national headline figures', () => {
    const n = p.summary.national;
    for (const v of [n.childSexualOffences, n.childSexualOffencesPerDay, n.underTen, n.rapes])
      expect(v).toMatch(/^\d+(\.\d+)?$/);
    expect(Number(n.childSexualOffences)).toBe(
      cfg.roundingBase === 1
        ? count.bandSex.grandTotal
        : Math.round(count.bandSex.grandTotal / 5) * 5,
    );
  });

  it('lets the exact attacker narrow no suppressed figure to within its protection interval, across all linked tables', () => {
    const model = linkedModel(count);
    const text = publishedText(p.tables);
    const truthOf = trueCount(count);
    const reader = publishedReader(model, text, cfg);
    let checked = 0;
    model.arcs.forEach((a, i) => {
      if (a.entries.length === 0 || text(a.entries[0]!) !== SUPPRESSED) return;
      const v = truthOf(a.entries[0]!);
      const r = reader.range(i);
      expect(r.max - r.min).toBeGreaterThanOrEqual(1);
      // a small count: the reader's range covers [max(0, v − t), v + t]
      if (v > 0 && v < cfg.threshold) {
        expect(r.min).toBeLessThanOrEqual(Math.max(0, v - cfg.threshold));
        expect(r.max).toBeGreaterThanOrEqual(v + cfg.threshold);
      }
      checked++;
    });
    expect(checked).toBeGreaterThan(5);
    for (const t of p.tables) if (t.id !== 'region-by-flag') expect(t.allProtected).toBe(true);
  });

  it('reports the information loss table by table and which primary forced which secondary', () => {
    for (const t of p.tables) {
      const hidden = cellsOf(t).filter((v) => v === SUPPRESSED).length;
      expect(t.informationLoss.cellsSuppressed).toBe(hidden);
      expect(t.notes.at(-1)).toMatch(
        new RegExp(`^Information loss: ${hidden} of ${t.informationLoss.cells} cells suppressed`),
      );
    }
    const secondaries = p.tables.flatMap((t) =>
      t.suppressed.filter((s) => s.reason === 'secondary'),
    );
    expect(p.disclosureReport.secondaryFor.length).toBeGreaterThan(0);
    expect(p.disclosureReport.secondaryFor.length).toBeLessThanOrEqual(secondaries.length);
    expect(p.disclosureReport.secondaryFor.some((x) => x.primaries.length > 0)).toBe(true);
  });
});

describe('when the solver cannot finish within the time limit', () => {
  it('falls back to the greedy method and says so in the publication', () => {
    const late = publish({ method: 'threshold', timeLimitSeconds: 1e-6 });
    expect(late.disclosureReport.method).toBe('greedy');
    expect(late.metadata.disclosure.secondaryMethod).toBe('greedy');
    expect(late.notes).toContainEqual(
      expect.stringMatching(
        /^The least-cost secondary suppression did not finish within 0.000001 s, so the greedy method was used/,
      ),
    );
    for (const t of late.tables) if (t.id !== 'region-by-flag') expect(t.allProtected).toBe(true);
  });
});

describe('the same year under the greedy method', () => {
  it('hides more than the optimal one (the cascade the issue describes)', () => {
    const greedy = publish({ method: 'threshold', secondaryMethod: 'greedy' });
    const optimal = publish({ method: 'threshold' });
    expect(greedy.disclosureReport.method).toBe('greedy');
    expect(greedy.disclosureReport.cellsSuppressed).toBeGreaterThan(
      optimal.disclosureReport.cellsSuppressed,
    );
  });
});
