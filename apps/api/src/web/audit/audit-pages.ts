import { statusOf as httpStatusOf } from '../../http/domain-error.filter.js';
import { CSV_CONTENT_TYPE } from '#libs/csv';
import type { FastifyReply } from 'fastify';
import type { Catalogue } from '#libs/catalogue';
import { DomainError } from '#libs/persistence';
import { parseFinancialYear, formatFinancialYear } from '#libs/recording-rules';
import type { ErrorItem, PageRequest } from '../web-page.js';

// Helpers shared by the auditor's pages (issue 17).
export const str = (v: unknown): string => (typeof v === 'string' ? v.trim() : '');

// A financial year from a form field: the value, or an error message for the field.
export function yearField(v: unknown): { year?: string; error?: string } {
  const s = str(v);
  if (!s) return {};
  try {
    return { year: formatFinancialYear(parseFinancialYear(s)) };
  } catch {
    return { error: 'Enter a financial year like 2018-19' };
  }
}

export function forceName(catalogue: Catalogue, id: string): string {
  return catalogue.force(id)?.name ?? id;
}

// The forces the signed-in auditor may choose, as select items.
export function forceItems(
  req: PageRequest,
  catalogue: Catalogue,
  selected: string,
  anyText?: string,
): { value: string; text: string; selected: boolean }[] {
  const forces = req.actor!.forces;
  const all =
    forces === 'all' ? catalogue.forces() : forces.flatMap((f) => catalogue.force(f) ?? []);
  const items = all.map((f) => ({ value: f.id, text: f.name, selected: f.id === selected }));
  return anyText ? [{ value: '', text: anyText, selected: !selected }, ...items] : items;
}

export function offenceGroups(catalogue: Catalogue): string[] {
  return [...new Set(catalogue.offences().map((o) => o.group))].sort();
}

// A coded error as one line of a GOV.UK error summary; anything else is not ours to show.
export function errorLine(e: unknown, href = '#main-content'): ErrorItem {
  if (!(e instanceof DomainError)) throw e;
  return { text: `${e.code}: ${e.message}`, href };
}

// The status a page answers with when a service refused: the API's mapping (domain-error.filter.ts).
export function statusOf(e: unknown): number {
  return e instanceof DomainError ? httpStatusOf(e.code) : 500;
}

export function sendCsv(res: FastifyReply, filename: string, body: string): void {
  res.header('content-type', CSV_CONTENT_TYPE);
  res.header('content-disposition', `attachment; filename="${filename.replace(/[^\w.-]/g, '_')}"`);
  res.header('cache-control', 'no-store');
  res.send(body);
}

export const pct = (v: number | null | undefined, digits = 1): string =>
  v === null || v === undefined ? '[x]' : `${(v * 100).toFixed(digits)}%`;

// Heat-table shade for a completeness share (5 bins); the number is always printed too.
export function heat(v: number | null): string {
  if (v === null) return '';
  if (v < 0.5) return 'cf-heat-0';
  if (v < 0.8) return 'cf-heat-1';
  if (v < 0.95) return 'cf-heat-2';
  if (v < 0.99) return 'cf-heat-3';
  return 'cf-heat-4';
}
