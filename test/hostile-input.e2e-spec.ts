// Hostile input (issue #18): requests generated from the OpenAPI document over every route and every declared field
// (wrong types, missing and extra fields, huge and deeply nested bodies, NUL and other control characters, invalid
// UTF-8 and UTF-16 bodies, SQL-injection and prototype-pollution strings, impossible and far dates, ages out of range,
// bad cursors and limits, bad tokens), then fast-check properties. Every answer must be below 500, and a refused
// request (4xx) must leave the database as it was: the row count of every table and the access log's newest seq.
// Bookkeeping that a refusal writes by design is left out of the snapshot: login_throttle (a failed login is
// counted; that is the throttle) and imports / import_rejections (a rejected import keeps its report).
// Data lives in Northamptonshire, 2025-26.
import type { INestApplication } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { createTestApp, testDatabaseUrl } from './support/create-test-app.js';
import { crimeBody } from './factories/crime.factory.js';
import { loginAs, type Headers } from './factories/identity.js';

const FORCE = 'northamptonshire';
const YEAR = '2025-26';
const NOT_SNAPSHOTTED = new Set(['login_throttle', 'imports', 'import_rejections', 'migrations']);

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
interface Schema {
  type?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: string[];
  example?: unknown;
  $ref?: string;
  allOf?: Schema[];
  nullable?: boolean;
}
interface Operation {
  parameters?: { name: string; in: 'path' | 'query' }[];
  requestBody?: { content: Record<string, { schema?: Schema }> };
}
interface Case {
  method: string;
  path: string;
  query?: string;
  body?: string | Buffer;
  type?: string;
  auth?: Headers;
  label: string;
}

// Values a field should refuse or survive. Raw JSON text, so numbers JSON cannot write as values (1e999) can be sent.
const HOSTILE_STRINGS = [
  '',
  ' ',
  'a\u0000b',
  '\u0000',
  '\u0001\u0002\u001f\u007f',
  'line\r\nbreak',
  '\uD800',
  '\uDFFF\uD800',
  '😀'.repeat(50),
  'x'.repeat(5000),
  "' OR '1'='1",
  "'; DROP TABLE crimes; --",
  '" OR ""="',
  '1; SELECT pg_sleep(5)',
  '$1',
  '%s%s%n',
  '${7*7}',
  '{{7*7}}',
  '<script>alert(1)</script>',
  '../../etc/passwd',
  '%00',
  '__proto__',
  'constructor',
  'prototype',
  'NaN',
  'null',
  'undefined',
  'true',
  '-1',
  '121',
  '1e309',
  '2015-02-29T00:00:00Z',
  '9999-12-31T23:59:59Z',
  '0000-01-01T00:00:00Z',
  '2016-13-01T00:00:00Z',
  '+275760-09-13T00:00:00Z',
  '2016-03-31T22:59:00',
  '2016-03-31',
  'yesterday',
  'DERBYSHIRE',
  'derbyshire',
  'ZZ/99',
  'CF-DATE-001',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
];
const HOSTILE_JSON = [
  ...HOSTILE_STRINGS.map((s) => JSON.stringify(s)),
  'null',
  'true',
  'false',
  '0',
  '-1',
  '121',
  '-0',
  '0.5',
  '1e999',
  '-1e999',
  '9007199254740993',
  '[]',
  '{}',
  '[null]',
  '["a\\u0000"]',
  '{"__proto__":{"polluted":true}}',
  '{"constructor":{"prototype":{"polluted":true}}}',
  `${'['.repeat(40)}${']'.repeat(40)}`,
];
const HOSTILE_QUERY = [
  ...HOSTILE_STRINGS.slice(0, 30),
  '0',
  '1000001',
  '1e9',
  '-5',
  '0x10',
  ' 5',
  'MTIz',
  'eyJ9',
  '%',
  '%zz',
  '%E9',
  '%C0%AF',
];
// encodeURIComponent, with a lone surrogate sent as the bytes it would have in WTF-8 (not UTF-8, so not decodable).
const uriEncode = (v: string): string =>
  Array.from(v, (ch) => (/[\uD800-\uDFFF]/.test(ch) ? '%ED%A0%80' : encodeURIComponent(ch))).join(
    '',
  );
const HOSTILE_PATH = [
  'x',
  'null',
  '-1',
  '0',
  '1e309',
  '..',
  '%2E%2E%2F',
  '%00',
  '%',
  '%zz',
  '%E9',
  'a%00b',
  'x'.repeat(2000),
  '😀',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  randomUUID(),
  '2015-16',
  '9999-00',
  "'%20OR%201=1--",
];

describe('hostile input: no 5xx, and no trace of a refused request (issue #18)', () => {
  let app: INestApplication<App>;
  let owner: pg.Client;
  let doc: {
    paths: Record<string, Record<string, Operation>>;
    components: { schemas: Record<string, Schema> };
  };
  let tables: string[];
  let as: Record<'registrar' | 'fcr' | 'auditor' | 'statistician' | 'admin', Headers>;
  const http = () => request(app.getHttpServer());
  const failures: string[] = [];
  let sent = 0;

  const snapshot = async (): Promise<string> => {
    const counts = tables.map((t) => `(SELECT count(*) FROM ${t})`).join(', ');
    const { rows } = await owner.query(
      `SELECT ${counts}, (SELECT max(seq)::text FROM access_log) AS head`,
    );
    return JSON.stringify(rows[0]);
  };

  // Sends one request; a 5xx, or a refusal that changed the database, is a failure. One snapshot per request: the
  // one taken after the previous request is this one's "before".
  let last = '';
  async function send(c: Case): Promise<number> {
    const before = last || (await snapshot());
    let req = http()[c.method.toLowerCase() as 'get'](`${c.path}${c.query ? `?${c.query}` : ''}`);
    if (c.auth) req = req.set(c.auth);
    if (c.body !== undefined)
      req = req.set('content-type', c.type ?? 'application/json').send(c.body);
    const res = await req;
    sent++;
    last = await snapshot();
    if (res.status >= 500)
      failures.push(
        `${res.status} ${c.method} ${c.path} ${c.label}: ${JSON.stringify(res.body).slice(0, 200)}`,
      );
    else if (res.status >= 400 && last !== before)
      failures.push(
        `refused (${res.status}) but changed the database: ${c.method} ${c.path} ${c.label}`,
      );
    return res.status;
  }

  const resolve = (s: Schema): Schema =>
    s.$ref
      ? doc.components.schemas[s.$ref.split('/').pop()!]
      : s.allOf?.[0]
        ? resolve(s.allOf[0])
        : s;

  // A plausible value of a schema: its example, else by type. Forces and years point at this spec's own data.
  function sample(schemaIn: Schema, name = ''): Json {
    const s = resolve(schemaIn);
    if (/force/i.test(name) && s.type !== 'array') return FORCE;
    if (name === 'year') return YEAR;
    if (s.example !== undefined) return s.example as Json;
    if (s.enum) return s.enum[0];
    if (s.type === 'object' || s.properties)
      return Object.fromEntries(
        Object.entries(s.properties ?? {}).map(([k, v]) => [k, sample(v, k)]),
      );
    if (s.type === 'array') return s.items ? [sample(s.items, name)] : [];
    if (s.type === 'number' || s.type === 'integer') return 1;
    if (s.type === 'boolean') return false;
    return 'hostile-test';
  }

  // The caller each route is meant for (so requests get past the guard and reach validation and the services).
  function callerFor(path: string): Headers | undefined {
    if (/^\/auth\/(login|refresh|password)/.test(path) || path === '/health') return undefined;
    if (path.startsWith('/users')) return as.admin;
    if (path.startsWith('/access-log') || path.startsWith('/audit')) return as.auditor;
    if (path.startsWith('/national') || path.startsWith('/publications')) return as.statistician;
    if (/^\/returns\/.*\/accept|\/return$/.test(path)) return as.statistician;
    if (path.startsWith('/returns') || /\/(cancel|transfer|confirm)$/.test(path)) return as.fcr;
    return as.registrar;
  }

  function pathWith(template: string, values: Record<string, string>): string {
    return template.replace(
      /\{(\w+)\}/g,
      (_, name: string) =>
        values[name] ??
        (name === 'force'
          ? FORCE
          : /year/i.test(name)
            ? YEAR
            : /^(rev|a|b)$/.test(name)
              ? '1'
              : randomUUID()),
    );
  }

  function casesFor(template: string, method: string, op: Operation): Case[] {
    const cases: Case[] = [];
    const auth = callerFor(template);
    const params = op.parameters ?? [];
    const json = op.requestBody?.content['application/json']?.schema;
    const base = json ? (sample(json) as Record<string, Json>) : undefined;
    const baseText = base
      ? JSON.stringify(
          template === '/crimes' && method === 'POST'
            ? { ...(base as object), ...validCrime() }
            : base,
        )
      : undefined;
    const c = (label: string, o: Partial<Case> = {}) =>
      cases.push({ method, path: pathWith(template, {}), body: baseText, auth, label, ...o });
    // Logging out a persona would end the suite's own sessions: that route only gets bad tokens.
    if (template !== '/auth/logout') {
      for (const p of params.filter((x) => x.in === 'path')) {
        for (const v of HOSTILE_PATH)
          c(`path ${p.name}=${v.slice(0, 40)}`, {
            path: pathWith(template, { [p.name]: v.includes('%') ? v : encodeURIComponent(v) }),
          });
      }
      // Each field gets a share of the values (every value still meets many fields), to keep the run to minutes.
      const share = <T>(values: T[], i: number, every: number) =>
        values.filter((_, j) => (i + j) % every === 0);
      for (const [i, p] of params.filter((x) => x.in === 'query').entries()) {
        for (const v of share(HOSTILE_QUERY, i, 3))
          c(`query ${p.name}=${v.slice(0, 40)}`, {
            query: `${p.name}=${v.startsWith('%') ? v : uriEncode(v)}`,
          });
        c(`query ${p.name} twice`, { query: `${p.name}=a&${p.name}=b` });
        c(`query ${p.name}[] as an object`, { query: `${p.name}[a]=1&${p.name}[__proto__][x]=1` });
      }
      if (base) {
        const props = Object.keys(resolve(json!).properties ?? {});
        for (const [i, field] of props.entries()) {
          const rest = { ...(JSON.parse(baseText!) as Record<string, Json>) };
          delete rest[field];
          c(`body without ${field}`, { body: JSON.stringify(rest) });
          for (const v of share(HOSTILE_JSON, i, 7)) {
            const text = JSON.stringify(rest).replace(
              /^\{/,
              `{${JSON.stringify(field)}:${v}${Object.keys(rest).length ? ',' : ''}`,
            );
            c(`body ${field}=${v.slice(0, 40)}`, { body: text });
          }
        }
        c('body with an extra field', { body: baseText!.replace(/^\{/, '{"victimName":"x",') });
        c('body with __proto__', {
          body: baseText!.replace(/^\{/, '{"__proto__":{"isAdmin":true,"forces":"all"},'),
        });
        c('body with constructor.prototype', {
          body: baseText!.replace(/^\{/, '{"constructor":{"prototype":{"isAdmin":true}},'),
        });
      }
      for (const [label, body, type] of [
        ['an empty body', '', 'application/json'],
        ['the body null', 'null', undefined],
        ['an array body', '[1,2]', undefined],
        ['a string body', '"x"', undefined],
        ['broken JSON', '{"a":', undefined],
        ['deep objects (10,000)', `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`, undefined],
        ['deep arrays (20,000)', `${'['.repeat(20_000)}${']'.repeat(20_000)}`, undefined],
        ['a 2 MB body', `{"a":"${'x'.repeat(2_000_000)}"}`, undefined],
        [
          'invalid UTF-8',
          Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0xff, 0x22, 0x7d]),
          undefined,
        ],
        [
          'UTF-16LE with a BOM',
          Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(baseText ?? '{}', 'utf16le')]),
          'application/json; charset=utf-16',
        ],
        ['UTF-16 without saying so', Buffer.from(baseText ?? '{}', 'utf16le'), undefined],
        ['text/plain', baseText ?? 'x', 'text/plain'],
        ['a form', 'a=1&b=2', 'application/x-www-form-urlencoded'],
        ['an unknown charset', baseText ?? '{}', 'application/json; charset=klingon'],
      ] as [string, string | Buffer, string | undefined][])
        c(label, { body, type });
    }
    const jwt = new JwtService({ secret: 'not-the-secret' });
    const none = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    for (const [label, value] of [
      ['no token', undefined],
      ['a garbage token', 'Bearer x'],
      ['an empty bearer', 'Bearer '],
      ['Basic auth', 'Basic YWRtaW46YWRtaW4='],
      ['a forged token', `Bearer ${jwt.sign({ sub: 'admin', sid: randomUUID(), typ: 'access' })}`],
      [
        "alg 'none'",
        `Bearer ${none({ alg: 'none', typ: 'JWT' })}.${none({ sub: 'admin', sid: randomUUID(), typ: 'access', roles: ['admin'] })}.`,
      ],
      ['a 10 kB token', `Bearer ${'a'.repeat(10_000)}`],
      ['a token with NUL', 'Bearer a%00b'],
    ] as [string, string | undefined][])
      c(`auth: ${label}`, { auth: value === undefined ? {} : { authorization: value } });
    return cases;
  }

  const validCrime = () => {
    const { crimeReference: _ref, ...body } = crimeBody({
      forceId: FORCE,
      offenceCode: '8L',
      victimAge: 30,
      suspectAge: null,
      offenceTo: null,
      reportedAt: '2025-06-01T10:00:00Z',
      recordedAt: '2025-06-01T12:00:00Z',
      offenceFrom: '2025-05-30T09:00:00Z',
    });
    return { ...body, crimeReference: `HOSTILE-${randomUUID().slice(0, 8)}` };
  };

  // pg warns once when it is sent an invalid Date (and will throw in its next major version): a failure here.
  const onWarning = (w: Error & { code?: string }) => {
    if (w.code === 'PG_INVALID_DATE')
      failures.push(`an invalid Date reached PostgreSQL: ${w.stack ?? w.message}`);
  };

  beforeAll(async () => {
    process.on('warning', onWarning);
    app = await createTestApp();
    owner = new pg.Client({ connectionString: testDatabaseUrl() });
    await owner.connect();
    doc = (await http().get('/api/docs-json').expect(200)).body;
    tables = (
      await owner.query(
        `SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`,
      )
    ).rows
      .map((r: { tablename: string }) => r.tablename)
      .filter((t: string) => !NOT_SNAPSHOTTED.has(t));
    as = {
      registrar: await loginAs(app, ['registrar'], [FORCE], 'hostile-reg'),
      fcr: await loginAs(app, ['force_crime_registrar'], [FORCE], 'hostile-fcr'),
      auditor: await loginAs(app, ['auditor'], [FORCE], 'hostile-auditor'),
      statistician: await loginAs(app, ['statistician'], 'all', 'hostile-stat'),
      admin: await loginAs(app, ['admin'], [], 'hostile-admin'),
    };
  });
  afterAll(async () => {
    process.off('warning', onWarning);
    await owner.end();
    await app.close();
  });

  it('answers at least 2,000 generated requests over every route and field without a 5xx or a trace of a refusal', async () => {
    const all: Case[] = [];
    for (const [template, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops))
        all.push(...casesFor(template.replace(/\/+$/, '') || '/', method.toUpperCase(), op));
    }
    expect(
      Object.values(doc.paths).reduce((n, ops) => n + Object.keys(ops).length, 0),
    ).toBeGreaterThanOrEqual(49);
    expect(all.length).toBeGreaterThanOrEqual(2000);
    console.log(`hostile input: ${all.length} generated requests`);
    for (const c of all) await send(c);
    expect(failures).toEqual([]);
    expect(sent).toBe(all.length);
  }, 900_000);

  it('imports hostile files without a 5xx: NUL, bad encodings, CR line ends, odd JSON, far dates and ages', async () => {
    const header =
      'crime_reference,force_id,offence_code,reported_at,recorded_at,offence_from,offence_to,online_flag,online_method,victim_age,victim_sex,status';
    const row = (o: Partial<Record<'ref' | 'rec' | 'age' | 'method', string>> = {}) =>
      [
        o.ref ?? `HOSTILE-IMP-${randomUUID().slice(0, 8)}`,
        FORCE,
        '8L',
        '2025-06-01T10:00:00Z',
        o.rec ?? '2025-06-01T12:00:00Z',
        '2025-05-30',
        '',
        'Y',
        o.method ?? 'messages',
        o.age ?? '34',
        'female',
        'confirmed',
      ].join(',');
    const csv = (...rows: string[]) => `${[header, ...rows].join('\r\n')}\r\n`;
    const line = (o: object) => `${JSON.stringify(o)}\n`;
    const files: [string, string | Buffer, string][] = [
      ['NUL in a field', csv(row({ method: 'a\u0000b' })), 'text/csv'],
      [
        'invalid UTF-8',
        Buffer.concat([
          Buffer.from(csv(row()).slice(0, -2)),
          Buffer.from([0xc3, 0x28, 0x0d, 0x0a]),
        ]),
        'text/csv',
      ],
      [
        'UTF-16 with BOM',
        Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(csv(row()), 'utf16le')]),
        'text/csv',
      ],
      ['UTF-16 without BOM', Buffer.from(csv(row()), 'utf16le'), 'text/csv'],
      ['CR line ends', csv(row(), row()).replaceAll('\r\n', '\r'), 'text/csv'],
      ['year 9999', csv(row({ rec: '9999-12-31T23:59:59Z' })), 'text/csv'],
      ['29 February 2015', csv(row({ rec: '2015-02-29T12:00:00Z' })), 'text/csv'],
      [
        'ages -1, 121, NaN',
        csv(row({ age: '-1' }), row({ age: '121' }), row({ age: 'NaN' })),
        'text/csv',
      ],
      ['SQL in a reference', csv(row({ ref: "X'); DROP TABLE crimes; --" })), 'text/csv'],
      ['an unclosed quote', csv(row(), `"${row()}`), 'text/csv'],
      ['a control character', csv(row({ method: 'a\u0001\u001fb' })), 'text/csv'],
      [
        'NDJSON with \\u0000',
        line({ crime_reference: 'HOSTILE-N1', force_id: FORCE, online_method: 'a\u0000' }),
        'application/x-ndjson',
      ],
      [
        'NDJSON __proto__',
        '{"__proto__":{"polluted":true},"crime_reference":"HOSTILE-N2"}\n',
        'application/x-ndjson',
      ],
      ['NDJSON deep', `${'['.repeat(20_000)}${']'.repeat(20_000)}\n`, 'application/x-ndjson'],
      [
        'NDJSON wrong types',
        line({
          crime_reference: 5,
          force_id: [],
          offence_code: {},
          reported_at: true,
          recorded_at: 1e308,
          offence_from: null,
          online_flag: 'yes',
          victim_age: -1,
          victim_sex: 'x',
          status: 'confirmed',
        }),
        'application/x-ndjson',
      ],
      ['an empty file', '', 'text/csv'],
      [
        'binary',
        Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0x00, 0x0d]),
        'application/octet-stream',
      ],
    ];
    for (const [label, body, type] of files) {
      for (const mode of ['all_or_nothing', 'accept_valid', 'dry_run']) {
        await send({
          method: 'POST',
          path: '/imports',
          query: `mode=${mode}`,
          body,
          type,
          auth: as.registrar,
          label: `import ${label} (${mode})`,
        });
      }
    }
    expect(failures).toEqual([]);
  }, 300_000);

  describe('properties (fast-check)', () => {
    const json = fc.jsonValue({ maxDepth: 3 });
    const fields = [
      'forceId',
      'crimeReference',
      'offenceCode',
      'reportedAt',
      'recordedAt',
      'offenceFrom',
      'offenceTo',
      'onlineFlag',
      'onlineMethod',
      'victimAge',
      'victimSex',
      'suspectAge',
      'status',
      'hateStrands',
      'acknowledge',
      'domesticAbuse',
      '__proto__',
      'constructor',
    ];

    it('POST /crimes: a valid record with any fields replaced by any JSON answers below 500', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.dictionary(fc.constantFrom(...fields), json, { maxKeys: 4 }),
          async (patch) => {
            const body = JSON.stringify({ ...validCrime(), ...patch });
            return (
              (await send({
                method: 'POST',
                path: '/crimes',
                body,
                auth: as.registrar,
                label: `property ${body.slice(0, 120)}`,
              })) < 500
            );
          },
        ),
        { numRuns: 150, seed: 18 },
      );
      expect(failures).toEqual([]);
    }, 300_000);

    it('GET /crimes and /access-log: any query string answers below 500', async () => {
      const params = [
        'force',
        'year',
        'offence',
        'flag',
        'status',
        'limit',
        'cursor',
        'user',
        'action',
        'record',
        'from',
        'to',
        'after',
      ];
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom('/crimes', '/access-log'),
          fc.dictionary(fc.constantFrom(...params), fc.string({ unit: 'binary', maxLength: 30 }), {
            maxKeys: 4,
          }),
          async (path, query) => {
            const qs = Object.entries(query)
              .map(([k, v]) => `${k}=${encodeURIComponent(v.replace(/[\uD800-\uDFFF]/g, ''))}`)
              .join('&');
            return (
              (await send({
                method: 'GET',
                path,
                query: qs,
                auth: path === '/crimes' ? as.registrar : as.auditor,
                label: `property ${qs}`,
              })) < 500
            );
          },
        ),
        { numRuns: 150, seed: 18 },
      );
      expect(failures).toEqual([]);
    }, 300_000);

    it('POST /imports: any NDJSON line answers below 500', async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(json, { minLength: 1, maxLength: 3 }), async (values) => {
          const body = values.map((v) => JSON.stringify(v)).join('\n');
          return (
            (await send({
              method: 'POST',
              path: '/imports',
              query: 'mode=dry_run',
              body,
              type: 'application/x-ndjson',
              auth: as.registrar,
              label: `property ${body.slice(0, 120)}`,
            })) < 500
          );
        }),
        { numRuns: 25, seed: 18 },
      );
      expect(failures).toEqual([]);
    }, 300_000);
  });
});
