import type { HistoryEntryView } from '#libs/crimes';
import { escapeHtml as esc, ukDateTime } from './view-filters.js';

const ACTION_LABELS: Record<string, string> = {
  created: 'Recorded',
  amended: 'Amended',
  reclassified: 'Reclassified',
  confirmed: 'Confirmed',
  cancelled: 'Cancelled',
  transferred: 'Transferred',
};

const show = (v: unknown): string =>
  v === null || v === undefined
    ? 'none'
    : Array.isArray(v)
      ? v.length
        ? v.join(', ')
        : 'none'
      : /^\d{4}-\d{2}-\d{2}T/.test(String(v))
        ? ukDateTime(String(v))
        : String(v);

// A record's history as MOJ timeline items, newest first: who, when, why, and each field's old → new value.
export function timelineItems(history: HistoryEntryView[]): {
  label: { text: string };
  html: string;
  datetime: { timestamp: string; type: string };
  byline: { text: string };
}[] {
  return [...history].reverse().map((h) => {
    const changes = Object.entries(h.changes).map(
      ([field, c]) =>
        `<li><strong>${esc(field)}</strong>: ${h.version === 1 ? '' : `${esc(show(c.old))} → `}${esc(show(c.new))}</li>`,
    );
    return {
      label: { text: `${ACTION_LABELS[h.action] ?? h.action} (version ${h.version})` },
      html: `${h.reason ? `<p class="govuk-body">Reason: ${esc(h.reason)}</p>` : ''}${changes.length ? `<ul class="govuk-list govuk-list--bullet govuk-body-s">${changes.join('')}</ul>` : ''}`,
      datetime: { timestamp: new Date(h.changedAt).toISOString(), type: 'datetime' },
      byline: { text: h.changedBy },
    };
  });
}
