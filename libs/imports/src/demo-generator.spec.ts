import { Catalogue } from '#libs/catalogue';
import { defaultRulesConfig, financialYearOf, type RuleContext } from '#libs/recording-rules';
import {
  demoCsvLines,
  demoNdjsonLines,
  generateDemoCrimes,
  writeDemoCsv,
} from './demo-generator.js';
import type { ImportRowObject } from './import-row.js';
import { parseCrimeBatches, type ImportFormat } from './parse-stream.js';
import { chunked, collect } from './testing/import-fixtures.js';
import { DuplicateTracker } from './duplicate-tracker.js';
import { validateBatch, type RejectedRow } from './validate-batch.js';
import { PassThrough } from 'node:stream';

const catalogue = new Catalogue();
const realContext: RuleContext = {
  offence: (c) => catalogue.offence(c),
  force: (id) => catalogue.force(id),
  config: defaultRulesConfig,
};
const demo = (records: number, seed = 'test', year = 2015) => [
  ...generateDemoCrimes({ year, records, seed }),
];

// Writes the rows in the format, parses them back and validates them with the real catalogue and rules.
async function importDemo(rows: ImportRowObject[], format: ImportFormat) {
  const text = [...(format === 'csv' ? demoCsvLines(rows) : demoNdjsonLines(rows))].join('');
  const seen = new DuplicateTracker();
  const rejected: RejectedRow[] = [];
  let accepted = 0;
  const warnings = new Map<string, number>();
  for await (const batch of parseCrimeBatches(chunked(text, 1 << 16), format)) {
    for (const v of validateBatch(batch, realContext, { forces: 'all' }, seen)) {
      if (v.status === 'rejected') {
        rejected.push(v);
        continue;
      }
      accepted++;
      for (const w of v.warnings) warnings.set(w, (warnings.get(w) ?? 0) + 1);
    }
  }
  return { accepted, rejected, warnings };
}

describe('generateDemoCrimes', () => {
  const rows = demo(5000);

  it('is deterministic for a seed, and differs between seeds', () => {
    expect(demo(300)).toEqual(rows.slice(0, 300));
    expect(demo(300, 'other')).not.toEqual(rows.slice(0, 300));
  });

  it('is lazy: asking for a few rows of a huge dataset costs nothing', () => {
    const iterator = generateDemoCrimes({ year: 2015, records: 1e12, seed: 'lazy' });
    expect(iterator.next().done).toBe(false);
  });

  it('covers all 44 forces with unique, clearly fictitious references', () => {
    expect(new Set(rows.map((r) => r.force_id)).size).toBe(44);
    expect(new Set(catalogue.forces().map((f) => f.id))).toEqual(
      new Set(rows.map((r) => r.force_id)),
    );
    expect(new Set(rows.map((r) => `${r.force_id}/${r.crime_reference}`)).size).toBe(rows.length);
    for (const r of rows)
      expect(r.crime_reference).toMatch(
        new RegExp(`^DEMO-${r.force_id.toUpperCase()}-2015-\\d{6}$`),
      );
  });

  it('records every crime inside the financial year, mostly within 24 hours of the report', () => {
    expect(rows.every((r) => financialYearOf(new Date(r.recorded_at)) === 2015)).toBe(true);
    const within24h = rows.filter(
      (r) => Date.parse(r.recorded_at) - Date.parse(r.reported_at) <= 24 * 3_600_000,
    ).length;
    expect(within24h / rows.length).toBeGreaterThan(0.9);
    expect(within24h).toBeLessThan(rows.length); // a few late ones for the timeliness KPI
  });

  it('has a plausible mix: mostly non-sexual, a few per cent child sexual offences, ages skewed to 13-15', () => {
    const childCodes = new Set([
      '19D',
      '19E',
      '19G',
      '19H',
      '20B',
      '17B',
      '21',
      '22B',
      '71',
      '73',
      '23',
      '88A',
      '71/17',
      '86/2',
    ]);
    const child = rows.filter((r) => childCodes.has(r.offence_code));
    expect(child.length / rows.length).toBeGreaterThan(0.01);
    expect(child.length / rows.length).toBeLessThan(0.06);
    const sexual = rows.filter((r) => catalogue.offence(r.offence_code)?.sexualOffence);
    expect(sexual.length / rows.length).toBeLessThan(0.08);
    const ages = child.map((r) => Number(r.victim_age)).filter((a) => a > 0);
    const teen = ages.filter((a) => a >= 13 && a <= 15).length;
    expect(teen / ages.length).toBeGreaterThan(0.5);
    // The most common age (13, as the NSPCC found) needs a larger sample than 5,000 records' ~110 child victims,
    // whose mode moves between 13 and 15 with any change to the offence mix.
    const byAge = new Map<number, number>();
    for (const r of demo(40_000)) {
      if (childCodes.has(r.offence_code) && Number(r.victim_age) > 0)
        byAge.set(Number(r.victim_age), (byAge.get(Number(r.victim_age)) ?? 0) + 1);
    }
    const mode = [...byAge].sort((a, b) => b[1] - a[1])[0][0];
    expect(mode).toBe(13);
    expect(rows.some((r) => r.online_flag === 'yes')).toBe(true);
    expect(rows.filter((r) => r.online_flag === 'yes').length / rows.length).toBeLessThan(0.1);
  });

  it("leaves some drafts with an 'unknown' flag for auditors, and never a confirmed one", () => {
    const unknown = rows.filter((r) => r.online_flag === 'unknown');
    expect(unknown.length).toBeGreaterThan(20);
    expect(unknown.every((r) => r.status === 'draft')).toBe(true);
  });

  it('passes every blocking recording rule with the real catalogue: 5,000 rows, 0 rejected (CSV)', async () => {
    const result = await importDemo(rows, 'csv');
    expect(result.rejected).toEqual([]);
    expect(result.accepted).toBe(5000);
    expect(result.warnings.get('CF-TIME-001')).toBeGreaterThan(0);
  });

  it('passes through NDJSON as well, and in a year with 71/17 (from 3 April 2017)', async () => {
    const later = demo(3000, 'test', 2017);
    expect(later.some((r) => r.offence_code === '71/17')).toBe(true);
    for (const r of later.filter((x) => x.offence_code === '71/17')) {
      expect(Date.parse(r.offence_to || r.offence_from)).toBeGreaterThanOrEqual(
        Date.parse('2017-04-02T23:00:00Z'),
      );
    }
    expect(demo(2015, 'test', 2015).some((r) => r.offence_code === '71/17')).toBe(false);
    const result = await importDemo(later, 'ndjson');
    expect(result.rejected).toEqual([]);
  });

  it('writes CSV to a stream', async () => {
    const out = new PassThrough();
    const text = collect(out).then((chunks) => Buffer.concat(chunks as Buffer[]).toString());
    await writeDemoCsv(rows.slice(0, 3), out);
    out.end();
    const lines = (await text).split('\r\n');
    expect(lines[0]).toBe(
      'crime_reference,force_id,offence_code,reported_at,recorded_at,offence_from,offence_to,online_flag,online_method,victim_age,victim_sex,status,online_platform,suspect_age,domestic_abuse,hate_strands,child_sexual_exploitation,child_sexual_abuse,acknowledge',
    );
    expect(lines).toHaveLength(5);
  });
});
