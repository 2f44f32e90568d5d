// Plain aligned text tables for the terminal: a header, a rule of dashes, columns two spaces apart, numbers
// right-aligned, nothing after the last character. Hand-made rather than cli-table3 (present only as a
// dependency of @nestjs/cli, a dev tool): box drawing would double the width and the line count.
export type TextCell = string | number | boolean | null | undefined;

const text = (v: TextCell): string => (v === null || v === undefined ? '' : String(v));

export function textTable(
  header: readonly string[],
  rows: readonly (readonly TextCell[])[],
): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => text(r[i]).length)));
  // A column is numeric when every filled cell is a number.
  const numeric = header.map(
    (_, i) =>
      rows.some((r) => typeof r[i] === 'number') &&
      rows.every((r) => r[i] === null || r[i] === undefined || typeof r[i] === 'number'),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [
    line([...header]),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map((r) => line(header.map((_, i) => text(r[i])))),
  ];
}
