import type { AreaAggregate, NationalReturn, YearComparison } from '#libs/national';
import { barChart } from '../charts/bar-chart.js';
import { format } from '../charts/chart-frame.js';
import { dotPlot } from '../charts/dot-plot.js';
import { dumbbell } from '../charts/dumbbell.js';

// The national page's charts, each with its one-sentence summary and the data table shown beside it
// (Analysis Function: a title that states the message, a text summary, the data as a table).
export interface PageChart {
  id: string;
  heading: string;
  summary: string;
  svg: string;
  table: { caption: string; head: string[]; rows: (string | number)[][]; numeric: boolean[] };
}

const BANDS = ['0-4', '5-9', '10-12', '13-15', '16-17', 'unknown'] as const;
const bandLabel = (b: string) => (b === 'unknown' ? 'Age not known' : `${b} years`);

export function nationalCharts(n: NationalReturn, cmp: YearComparison | null): PageChart[] {
  const charts: PageChart[] = [];
  const forces = n.forces.filter((f): f is AreaAggregate => 'tableA' in f);
  const rated = forces
    .map((f) => ({ label: f.name, value: f.tableA.rows.at(-1)!.pctFlagged }))
    .filter((f): f is { label: string; value: number } => f.value !== null)
    .sort((a, b) => b.value - a.value);
  const national = n.national.tableA.rows.at(-1)!.pctFlagged;
  if (rated.length > 0) {
    const top = rated[0];
    const above = national === null ? 0 : rated.filter((r) => r.value > national).length;
    const summary =
      national === null
        ? `${top.label} has the highest online-flag rate, ${format(top.value)}%.`
        : `${above} of ${rated.length} forces flag a larger share of their crimes as online than England and Wales (${format(national)}%); ${top.label} is highest at ${format(top.value)}%.`;
    const title = `Online-flag rate by force, ${n.metadata.year.label}, against the England and Wales rate`;
    charts.push({
      id: 'chart-flag-rate',
      heading: title,
      summary,
      svg: dotPlot({
        id: 'chart-flag-rate-svg',
        title,
        description: summary,
        items: rated,
        unit: '%',
        reference: national === null ? undefined : { label: 'England and Wales', value: national },
      }),
      table: {
        caption: `Online-flagged crimes as a percentage of recorded crimes, by force, ${n.metadata.year.label} (${n.metadata.coverage.text})`,
        head: ['Force', 'Online-flag rate (%)'],
        numeric: [false, true],
        rows: [
          ...rated.map((r) => [r.label, format(r.value)]),
          ...(national === null ? [] : [['England and Wales', format(national)]]),
        ],
      },
    });
  }

  const bands = BANDS.map((b) =>
    n.national.tableB.rows.find((r) => r.level === 'band' && r.band === b),
  );
  const series = [
    { name: 'Female', values: bands.map((r) => r?.female ?? 0) },
    { name: 'Male', values: bands.map((r) => r?.male ?? 0) },
    { name: 'Sex not known', values: bands.map((r) => r?.unknownSex ?? 0) },
  ];
  const total = n.national.tableB.summary.total;
  if (total > 0) {
    let best = { band: '', series: '', value: -1 };
    BANDS.forEach((b, i) =>
      series.forEach((s) => {
        if (s.values[i] > best.value)
          best = { band: bandLabel(b), series: s.name, value: s.values[i] };
      }),
    );
    const summary = `Of ${format(total)} online child sexual offences, the largest group is ${best.series.toLowerCase()} victims aged ${best.band.replace(' years', '')} (${format(best.value)}).`;
    const title = `Online child sexual offences by victim's age band and sex, England and Wales, ${n.metadata.year.label}`;
    charts.push({
      id: 'chart-cso',
      heading: title,
      summary,
      svg: barChart({
        id: 'chart-cso-svg',
        title,
        description: summary,
        categories: BANDS.map(bandLabel),
        series,
      }),
      table: {
        caption: `Online-flagged sexual offences against children by victim's age band and sex, ${n.metadata.year.label} (${n.metadata.coverage.text}). Counting unit: crimes`,
        head: ['Age band', ...series.map((s) => s.name)],
        numeric: [false, true, true, true],
        rows: BANDS.map((b, i) => [bandLabel(b), ...series.map((s) => s.values[i])]),
      },
    });
  }

  if (cmp && cmp.forces.length > 0) {
    const pairs = cmp.forces.flatMap((f) => {
      const m = f.measures.find((x) => x.measure === 'pctFlagged');
      return m && m.base !== null && m.current !== null
        ? [{ label: f.name, from: m.base, to: m.current }]
        : [];
    });
    if (pairs.length > 0) {
      const rose = pairs.filter((p) => p.to > p.from).length;
      const summary = `Over the ${pairs.length} ${pairs.length === 1 ? 'force' : 'forces'} accepted in both years, the online-flag rate rose in ${rose} and fell or held in ${pairs.length - rose} between ${cmp.metadata.otherYear.label} and ${cmp.metadata.year.label}.`;
      const title = `Change in the online-flag rate by force, ${cmp.metadata.otherYear.label} to ${cmp.metadata.year.label}`;
      charts.push({
        id: 'chart-yoy',
        heading: title,
        summary,
        svg: dumbbell({
          id: 'chart-yoy-svg',
          title,
          description: summary,
          from: cmp.metadata.otherYear.label,
          to: cmp.metadata.year.label,
          items: pairs,
          unit: '%',
        }),
        table: {
          caption: `Online-flag rate (%) by force in both years, forces accepted in both years only (${cmp.metadata.coverage.text})`,
          head: [
            'Force',
            cmp.metadata.otherYear.label,
            cmp.metadata.year.label,
            'Change (percentage points)',
          ],
          numeric: [false, true, true, true],
          rows: pairs.map((p) => [
            p.label,
            format(p.from),
            format(p.to),
            format(Math.round((p.to - p.from) * 10) / 10),
          ]),
        },
      });
    }
  }
  return charts;
}
