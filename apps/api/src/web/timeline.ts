import type { HistoryEntryView } from '#libs/crimes';
import { escapeHtml as esc, FLAG_LABELS, SEX_LABELS, ukDateTime } from './view-filters.js';

const ACTION_LABELS: Record<string, string> = {
  created: 'Recorded',
  amended: 'Amended',
  reclassified: 'Reclassified',
  confirmed: 'Confirmed',
  cancelled: 'Cancelled',
  transferred: 'Transferred',
};

// Each recorded field as the record page names it, and how its values read there. A field not named here (one a
// later change adds) still shows, under its name in words, so the history never hides a change.
type Shown = (v: unknown) => string;
const sentence = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
// "victimAge" -> "Victim age"
const words = (field: string): string =>
  sentence(field.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase());

const yesNo: Shown = (v) => (v === true ? 'Yes' : v === false ? 'No' : 'Not given');
const age: Shown = (v) => (v === null || v === undefined ? 'Not known' : String(v));
const labelled =
  (labels: Readonly<Record<string, string>>): Shown =>
  (v) =>
    v === null || v === undefined ? 'Not given' : (labels[String(v)] ?? String(v));
const FIELDS: Readonly<Record<string, { label: string; show?: Shown }>> = {
  offenceCode: { label: 'Offence' },
  incidentReference: { label: 'Incident reference' },
  status: { label: 'Status', show: (v) => sentence(String(v ?? 'none')) },
  reportedAt: { label: 'Reported' },
  recordedAt: { label: 'Recorded' },
  offenceFrom: { label: 'Offence date' },
  offenceTo: { label: 'End of the offence period' },
  onlineFlag: { label: 'Online flag', show: labelled(FLAG_LABELS) },
  onlineMethod: { label: 'How it was online' },
  onlinePlatform: { label: 'Platform or app' },
  victimAge: { label: 'Victim age', show: age },
  victimSex: { label: 'Victim sex', show: labelled(SEX_LABELS) },
  suspectAge: { label: 'Suspect age', show: age },
  domesticAbuse: { label: 'Domestic abuse', show: yesNo },
  hateStrands: { label: 'Hate crime strands' },
  childSexualExploitation: { label: 'Child sexual exploitation', show: yesNo },
  childSexualAbuse: { label: 'Child sexual abuse', show: yesNo },
  cancellationCategory: { label: 'Cancellation category' },
  transferredToForceId: { label: 'Transferred to force' },
  transferredToAuthorityId: { label: 'Transferred to authority' },
};

const ORDER = Object.keys(FIELDS);
const order = (field: string): number => {
  const i = ORDER.indexOf(field);
  return i === -1 ? ORDER.length : i;
};

const plain: Shown = (v) =>
  v === null || v === undefined
    ? 'Not given'
    : Array.isArray(v)
      ? v.length
        ? v.join(', ')
        : 'None'
      : /^\d{4}-\d{2}-\d{2}T/.test(String(v))
        ? ukDateTime(String(v))
        : String(v);

export function changeLine(field: string, old: unknown, now: unknown, created: boolean): string {
  const f = FIELDS[field];
  const show = f?.show ?? plain;
  return `<li><strong>${esc(f?.label ?? words(field))}</strong>: ${created ? '' : `${esc(show(old))} → `}${esc(show(now))}</li>`;
}

// A record's history as MOJ timeline items, newest first: who, when, why, and each field's old → new value.
export function timelineItems(history: HistoryEntryView[]): {
  label: { text: string };
  html: string;
  datetime: { timestamp: string; type: string };
  byline: { text: string };
}[] {
  return [...history].reverse().map((h) => {
    // In the record page's order (the database keeps a change's fields in an order of its own).
    const changes = Object.entries(h.changes)
      .sort(([a], [b]) => order(a) - order(b))
      .map(([field, c]) => changeLine(field, c.old, c.new, h.version === 1));
    return {
      label: { text: `${ACTION_LABELS[h.action] ?? h.action} (version ${h.version})` },
      html: `${h.reason ? `<p class="govuk-body">Reason: ${esc(h.reason)}</p>` : ''}${changes.length ? `<ul class="govuk-list govuk-list--bullet govuk-body-s">${changes.join('')}</ul>` : ''}`,
      datetime: { timestamp: new Date(h.changedAt).toISOString(), type: 'datetime' },
      byline: { text: h.changedBy },
    };
  });
}
