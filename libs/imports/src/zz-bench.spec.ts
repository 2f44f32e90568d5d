import { Catalogue } from '#libs/catalogue';
import { defaultRulesConfig } from '#libs/recording-rules';
import { demoCsvLines, generateDemoCrimes } from './demo-generator.js';
import { parseCrimeBatches } from './parse-stream.js';
import { ImportValidator } from './validate-batch.js';

it('bench', async () => {
  const N = 20_000;
  let t = performance.now();
  const text = [...demoCsvLines(generateDemoCrimes({ year: 2015, records: N, seed: 'bench' }))].join('');
  const gen = performance.now() - t;
  const buf = Buffer.from(text);
  async function* chunks() { for (let i = 0; i < buf.length; i += 65536) yield buf.subarray(i, i + 65536); }
  t = performance.now();
  let n = 0;
  for await (const b of parseCrimeBatches(chunks(), 'csv')) n += b.length;
  const parse = performance.now() - t;
  const c = new Catalogue();
  const v = new ImportValidator({ offence: (x) => c.offence(x), force: (x) => c.force(x), config: defaultRulesConfig }, { forces: 'all' });
  t = performance.now();
  let rej = 0;
  for await (const b of parseCrimeBatches(chunks(), 'csv')) for (const r of v.validate(b)) if (r.status === 'rejected') rej++;
  const both = performance.now() - t;
  console.log({ n, mb: buf.length / 1e6, gen, parse, rowsPerSecParse: n / parse * 1000, both, rowsPerSecBoth: n / both * 1000, rej });
}, 600000);
