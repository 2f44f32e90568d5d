// Small helpers shared by the auditor's charts (funnel, forest, line): escaping, number formatting, ticks.
export function esc(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

// Coordinates to two decimals: enough for the screen, and what the unit tests compare against.
export const r2 = (v: number): number => Math.round(v * 100) / 100;

export const pct = (v: number, digits = 1): string => `${(v * 100).toFixed(digits)}%`;

// Round tick steps (1, 2, 5 × 10^k) covering [0, max] with about `count` ticks.
export function ticks(max: number, count = 5): number[] {
  if (!(max > 0)) return [0];
  const raw = max / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let v = 0; v <= max + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

// The accessible frame every chart shares: role="img" named by its <title> and described by its <desc>.
export function frame(
  id: string,
  width: number,
  height: number,
  title: string,
  desc: string,
  body: string,
): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="cf-chart" id="${esc(id)}" role="img" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" ` +
    `aria-labelledby="${esc(id)}-title ${esc(id)}-desc">` +
    `<title id="${esc(id)}-title">${esc(title)}</title><desc id="${esc(id)}-desc">${esc(desc)}</desc>${body}</svg>`
  );
}
