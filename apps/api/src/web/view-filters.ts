import type { Environment } from 'nunjucks';
import { londonParts } from '#libs/recording-rules';

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

// UK time, as GOV.UK writes dates: "1 May 2018 at 11:00am"; total for any input (bad values print as given).
export function ukDateTime(value: unknown, withTime = true): string {
  if (value === null || value === undefined || value === '') return '';
  const d = value instanceof Date ? value : new Date(String(value));
  if (Number.isNaN(d.getTime())) return String(value);
  const p = londonParts(d);
  const date = `${p.day} ${MONTHS[p.month - 1]} ${p.year}`;
  if (!withTime) return date;
  const h12 = p.hour % 12 === 0 ? 12 : p.hour % 12;
  return `${date} at ${h12}:${String(p.minute).padStart(2, '0')}${p.hour < 12 ? 'am' : 'pm'}`;
}

// How the pages name the online flag's and the victim's sex's stored values (the record form's own wording).
export const FLAG_LABELS: Readonly<Record<string, string>> = {
  yes: 'Online',
  no: 'Not online',
  unknown: 'Not known yet',
};
export const SEX_LABELS: Readonly<Record<string, string>> = {
  female: 'Female',
  male: 'Male',
  unknown: 'Not known',
};

export function escapeHtml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}

export function registerFilters(env: Environment): void {
  env.addFilter('ukDateTime', (v: unknown) => ukDateTime(v));
  env.addFilter('ukDate', (v: unknown) => ukDateTime(v, false));
  env.addFilter('flagLabel', (v: unknown) => FLAG_LABELS[String(v)] ?? String(v));
  env.addFilter('sexLabel', (v: unknown) => SEX_LABELS[String(v)] ?? String(v));
  env.addFilter('yesNo', (v: unknown) => (v === true ? 'Yes' : v === false ? 'No' : ''));
  // The MOJ timeline's date filter, in UK time (MOJ's own uses moment in the server's time zone).
  env.addFilter('mojDate', (v: unknown, type: unknown) => {
    if (type === 'datetime' || type === 'shortdatetime') return ukDateTime(v);
    if (type === 'date' || type === 'shortdate') return ukDateTime(v, false);
    if (type === 'time') return ukDateTime(v).replace(/^.* at /, '');
    return String(v);
  });
  // A figure as the statistics pages print it: thousands separated, at most one decimal place.
  env.addFilter('fmt', (v: unknown) =>
    typeof v === 'number'
      ? v.toLocaleString('en-GB', { maximumFractionDigits: 1 })
      : String(v ?? ''),
  );
  env.addGlobal('serviceName', 'Cyberflag');
}
