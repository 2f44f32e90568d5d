// The published examples (docs/examples) and the JSON Schema (libs/imports/schema) agree with the importer.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { parse as parseCsv } from 'csv-parse/sync';
import { Catalogue } from '#libs/catalogue';
import { defaultRulesConfig, type RuleContext } from '#libs/recording-rules';
import { parseCrimes, type ImportFormat } from './parse-stream.js';
import { chunked, collect, validRow } from './testing/import-fixtures.js';
import { validateBatch } from './validate-batch.js';

const file = (path: string) => readFileSync(new URL(path, import.meta.url));
const csv = file('../../../docs/examples/crimes-example.csv');
const ndjson = file('../../../docs/examples/crimes-example.ndjson');
const schema = JSON.parse(file('../schema/crime-import.schema.json').toString()) as object;

const catalogue = new Catalogue();
const ctx: RuleContext = {
  offence: (c) => catalogue.offence(c),
  force: (id) => catalogue.force(id),
  config: defaultRulesConfig,
};
const load = async (data: Buffer, format: ImportFormat) =>
  validateBatch(await collect(parseCrimes(chunked(data, 100), format)), ctx, { forces: 'all' });

describe('docs/examples', () => {
  it.each<[ImportFormat, Buffer]>([
    ['csv', csv],
    ['ndjson', ndjson],
  ])('%s: 10 rows, all accepted with the real catalogue and rules', async (format, data) => {
    const verdicts = await load(data, format);
    expect(verdicts.filter((v) => v.status === 'rejected')).toEqual([]);
    expect(verdicts).toHaveLength(10);
  });

  it('describe the same 10 crimes in both formats', async () => {
    const crimes = async (data: Buffer, format: ImportFormat) =>
      (await collect(parseCrimes(chunked(data), format))).map((r) => r.crime);
    expect(await crimes(ndjson, 'ndjson')).toEqual(await crimes(csv, 'csv'));
  });
});

// ajv (a pinned dev dependency) checks the published JSON Schema. It is CommonJS, hence createRequire.
type Validator = ((data: unknown) => boolean) & { errors?: unknown };
type AjvClass = new (opts: object) => { compile: (schema: object) => Validator };
const Ajv2020 = (createRequire(import.meta.url)('ajv/dist/2020') as { default: AjvClass }).default;

describe('crime-import.schema.json', () => {
  const validate: Validator = new Ajv2020({ strict: true, allErrors: true }).compile(schema);

  it('accepts every example row: NDJSON objects and CSV records', () => {
    const objects = [
      ...ndjson
        .toString()
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as object),
      ...(parseCsv(csv, { columns: true }) as object[]),
      validRow(),
    ];
    for (const o of objects) expect([o, validate(o)]).toEqual([o, true]);
  });

  it.each([
    [
      'a missing required column',
      (() => {
        const { victim_sex: _x, ...rest } = validRow();
        return rest;
      })(),
    ],
    ['an unknown column', { ...validRow(), victim_name: 'x' }],
    ['a date-time without offset', validRow({ reported_at: '2018-05-01T10:00:00' })],
    ['a bad online flag', validRow({ online_flag: 'maybe' })],
    ['a bad boolean', validRow({ domestic_abuse: 'flase' })],
    ['a fractional age', validRow({ victim_age: '14.5' })],
    ['a cancelled status', validRow({ status: 'cancelled' })],
    ['an unknown strand', validRow({ hate_strands: 'race;football' })],
    ['a bad reference', validRow({ crime_reference: 'has space' })],
  ])('rejects %s, as the importer does', async (_name, row) => {
    expect(validate(row)).toBe(false);
    const [parsed] = await collect(parseCrimes(chunked(`${JSON.stringify(row)}\n`), 'ndjson'));
    expect(parsed.errors).not.toEqual([]);
  });
});
