// The region table is DERIVED from the published force table, not suppressed on its own: a region figure
// is the sum of its forces' published figures and is shown only when all of them are shown. It therefore
// tells a reader nothing the force table hides, so differencing region against force figures (the
// linked-table risk libs/disclosure documents) cannot recover a suppressed force figure.
import { STRUCTURAL_ZERO, SUPPRESSED, type ResolvedDisclosureConfig } from '#libs/disclosure';
import type { Catalogue } from '#libs/catalogue';
import { coverageText } from '../coverage.js';
import type { CoverageRow } from '../national.types.js';
import type { PublishedTableEntry } from './publication.types.js';

// A figure derived from published figures is shown only when all of them are: it then reveals nothing.
export function sumOfShown(texts: readonly string[]): string {
  return texts.every((t) => /^\d+$/.test(t) || t === STRUCTURAL_ZERO)
    ? String(texts.reduce((s, t) => s + (t === STRUCTURAL_ZERO ? 0 : Number(t)), 0))
    : SUPPRESSED;
}

export function regionTable(
  catalogue: Catalogue,
  expected: readonly CoverageRow[],
  forces: PublishedTableEntry,
  cfg: ResolvedDisclosureConfig,
  note: (s: string) => string,
): Omit<PublishedTableEntry, 'informationLoss'> {
  const regions = catalogue.regions().filter((reg) => expected.some((r) => r.regionId === reg.id));
  const withForces = regions.filter((reg) =>
    expected.some((r) => r.regionId === reg.id && r.included),
  );
  const rowsOf = (regionId: string) =>
    forces.rowKeys.flatMap((id, i) =>
      expected.find((r) => r.forceId === id)?.regionId === regionId ? [i] : [],
    );
  const t = forces.table;
  const cells = withForces.map((reg) =>
    t.columnLabels.map((_, c) => sumOfShown(rowsOf(reg.id).map((i) => t.cells[i]![c]!))),
  );
  const rowTotals = withForces.map((reg) => sumOfShown(rowsOf(reg.id).map((i) => t.rowTotals[i]!)));
  const rounding =
    cfg.roundingBase > 1
      ? ` Under ONS 10-5 a region figure is the sum of its forces' rounded figures, so it may differ from the region's own count rounded.`
      : '';
  const suppressed: PublishedTableEntry['suppressed'] = [];
  cells.forEach((line, row) =>
    line.forEach((v, column) => {
      if (v === SUPPRESSED)
        suppressed.push({
          entry: { kind: 'cell', row, column },
          label: `"${withForces[row]!.name}" × "${t.columnLabels[column]}"`,
          reason: 'derived',
          range: null,
          protected: null,
        });
    }),
  );
  rowTotals.forEach((v, row) => {
    if (v === SUPPRESSED)
      suppressed.push({
        entry: { kind: 'row-total', row },
        label: `row total "${withForces[row]!.name}"`,
        reason: 'derived',
        range: null,
        protected: null,
      });
  });
  return {
    id: 'region-by-flag',
    title: 'Recorded crimes by region and online flag',
    countingUnit: forces.countingUnit,
    coverage: forces.coverage,
    methodologyNote: note(
      `Regions group forces as the catalogue does. Each region figure is the sum of the published force figures of table force-by-flag and is shown only when every one of them is shown, so it reveals nothing that table hides; its coverage is stated per region.${rounding}`,
    ),
    rowDimension: 'region',
    columnDimension: forces.columnDimension,
    rowKeys: withForces.map((r) => r.id),
    rowCoverage: withForces.map((reg) => {
      const inRegion = expected.filter((r) => r.regionId === reg.id);
      return coverageText(inRegion.filter((r) => r.included).length, inRegion.length).text;
    }),
    table: {
      rowLabels: withForces.map((r) => r.name),
      columnLabels: [...t.columnLabels],
      cells,
      rowTotals,
      columnTotals: [...t.columnTotals],
      grandTotal: t.grandTotal,
    },
    notPublishedRows: regions
      .filter((r) => !withForces.includes(r))
      .map((r) => ({ key: r.id, label: r.name, status: 'not received' })),
    suppressed,
    allProtected: forces.allProtected,
    notes: [],
  };
}
