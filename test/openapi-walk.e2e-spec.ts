import type { INestApplication } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { AuthService, ROLES, UsersService, type Role } from '#libs/auth';
import { createTestApp } from './support/create-test-app.js';

// The OpenAPI example walk: every operation of the published document is sent with the example that the docs
// page (Swagger UI) builds from the document itself, by a caller holding a role the operation allows. A shape the
// document produced must never be refused as a shape (400), and nothing may fail (5xx).
//
// The walk records crimes, submits and accepts a return and publishes a year with the examples; like every spec
// file it has a database of its own, so its results are exact whatever else ran before.

interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  example?: unknown;
  default?: unknown;
  enum?: unknown[];
  items?: Schema;
  properties?: Record<string, Schema>;
  additionalProperties?: boolean | Schema;
  allOf?: Schema[];
  oneOf?: Schema[];
  minimum?: number;
  nullable?: boolean;
  readOnly?: boolean;
}
interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  example?: unknown;
  schema?: Schema;
}
interface Media {
  schema?: Schema;
  example?: unknown;
  examples?: Record<string, { value: unknown }>;
}
interface Operation {
  parameters?: Parameter[];
  requestBody?: { content: Record<string, Media> };
  responses: Record<string, { description?: string; content?: Record<string, Media> }>;
  security?: unknown[];
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

// Exact results of the walk, in document order, on an empty database. 404: an example id (the docs page's UUID)
// names nothing. 401: the example credentials are no one's. 409/422: the state refuses the example, which is a
// meaning, not a shape. A new operation needs its line here.
const EXPECTED: Record<string, number> = {
  'GET /health': 200,
  'POST /auth/login': 401,
  'POST /auth/refresh': 401,
  'POST /auth/password': 401,
  'POST /auth/logout': 204,
  'GET /auth/me': 200,
  'POST /users': 201,
  'GET /users': 200,
  'PATCH /users/{id}': 404,
  'GET /access-log': 200,
  'GET /catalogue/forces': 200,
  'GET /catalogue/regions': 200,
  'GET /catalogue/offences': 200,
  'GET /catalogue/unconfirmed-offences': 200,
  'GET /catalogue/authorities': 200,
  'GET /rules': 200,
  'GET /rules/cancellation-categories': 200,
  'POST /crimes': 201, // the example crime is recorded (a draft)
  'GET /crimes': 200,
  'GET /crimes/by-reference/{force}/{path}': 200, // the POST /crimes example recorded DY/2015/000123
  'POST /crimes/validate': 200,
  'POST /crimes/bulk': 404, // the example's record id names nothing
  'GET /crimes/{id}': 404,
  'PATCH /crimes/{id}': 404,
  'GET /crimes/{id}/history': 404,
  'POST /crimes/{id}/validate': 404,
  'POST /crimes/{id}/reclassify': 404,
  'POST /crimes/{id}/confirm': 404,
  'POST /crimes/{id}/cancel': 404,
  'POST /crimes/{id}/transfer': 404,
  'POST /imports': 201, // the example CSV loads
  'GET /imports': 200,
  'GET /imports/{id}': 404,
  'GET /imports/{id}/report': 404,
  'GET /returns/{year}': 200,
  'GET /returns/{force}/{year}': 200,
  'POST /returns/{force}/{year}/submit': 200, // an empty return is valid: revision 1
  'POST /returns/{force}/{year}/accept': 409, // the example's version 0 is not the submitted version 1
  'POST /returns/{force}/{year}/return': 409,
  'GET /returns/{force}/{year}/validation': 200,
  'GET /returns/{force}/{year}/revisions': 200,
  'GET /returns/{force}/{year}/revisions/{rev}': 200,
  'GET /returns/{force}/{year}/revisions/{a}/diff/{b}': 404, // revision 2 does not exist
  'GET /national/{year}': 200,
  'GET /national/{year}/compare/{otherYear}': 200,
  'POST /national/{year}/publications': 422, // CF-PUB-001: no accepted returns in the year
  'POST /national/{year}/publications/preview': 422, // CF-PUB-001: no accepted returns in the year
  'GET /national/{year}/publications': 200,
  'GET /publications/{id}': 404,
  'GET /audit/completeness': 200,
  'GET /audit/under-use': 200,
  'POST /audit/review-queue/refresh': 200,
  'GET /audit/review-queue': 200,
  'POST /audit/review-queue': 404,
  'PATCH /audit/review-queue/{id}': 404,
  'POST /audit/review-queue/{id}/correct': 404,
  'POST /audits': 201, // samples the example import's crimes
  'GET /audits': 200,
  'GET /audits/{id}': 404,
  'PUT /audits/{id}/verdicts/{crimeId}': 404,
  'POST /audits/{id}/close': 404,
  'POST /reported-incidents': 201, // the example N100 is held in Derbyshire
  'GET /reported-incidents': 200,
  'POST /reported-incidents/{id}/crime': 404,
};

// What Swagger UI puts in a generated example: example, then default, then the first enum value, then a
// value of the type (its sampler's defaults).
function sample(doc: Document, s: Schema | undefined, depth = 0): unknown {
  if (!s || depth > 8) return undefined;
  if (s.$ref)
    return sample(
      doc,
      doc.components.schemas[s.$ref.replace('#/components/schemas/', '')],
      depth + 1,
    );
  if (s.example !== undefined) return s.example;
  if (s.default !== undefined) return s.default;
  if (s.enum?.length) return s.enum[0];
  if (s.allOf) return Object.assign({}, ...s.allOf.map((p) => sample(doc, p, depth + 1) as object));
  if (s.oneOf?.length) return sample(doc, s.oneOf[0], depth + 1);
  switch (s.type) {
    case 'array':
      return [sample(doc, s.items, depth + 1)];
    case 'string':
      return (
        {
          'date-time': new Date().toISOString(),
          date: new Date().toISOString().slice(0, 10),
          uuid: '3fa85f64-5717-4562-b3fc-2c963f66afa6',
        }[s.format ?? ''] ?? 'string'
      );
    case 'integer':
    case 'number':
      return typeof s.minimum === 'number' && s.minimum > 0 ? s.minimum : 0;
    case 'boolean':
      return true;
    case undefined: // an object schema, or one named only by its properties
    default: {
      const props = Object.entries(s.properties ?? {}).filter(([, p]) => !p.readOnly);
      return Object.fromEntries(props.map(([k, p]) => [k, sample(doc, p, depth + 1)]));
    }
  }
}

// A parameter is filled the way Swagger UI's "Try it out" pre-fills it: from its example or default; a required
// one without them from its type.
function paramValue(doc: Document, p: Parameter): string | undefined {
  const v =
    p.example ??
    p.schema?.example ??
    p.schema?.default ??
    (p.required ? sample(doc, p.schema) : undefined);
  return v === undefined ? undefined : String(v);
}

// The roles an operation allows, as the document states them (the 403 response lists them).
function allowedRoles(op: Operation): Role[] {
  const forbidden = op.responses['403']?.description ?? '';
  const m = /^roles allowed: (.+)$/.exec(forbidden);
  return m ? (m[1].split(', ') as Role[]) : [];
}

const isJson = (type: string) => type === 'application/json';
const successCodes = (op: Operation) => Object.keys(op.responses).filter((c) => /^2\d\d$/.test(c));

// The document's schemas as JSON Schema for Ajv: OpenAPI 3.0's nullable becomes "or null", examples go, and an
// object lists all its properties (additionalProperties: false) so an undocumented field in a body fails too.
function jsonSchema(s: unknown): unknown {
  if (Array.isArray(s)) return s.map(jsonSchema);
  if (!s || typeof s !== 'object') return s;
  const { nullable, example, ...rest } = s as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(rest)) {
    if (k === '$ref') out[k] = `openapi${v as string}`;
    else if (k === 'properties')
      out[k] = Object.fromEntries(
        Object.entries(v as object).map(([p, ps]) => [p, jsonSchema(ps)]),
      );
    else if (k === 'default' || k === 'enum' || k === 'required') out[k] = v;
    else out[k] = jsonSchema(v);
  }
  if (out.properties && out.additionalProperties === undefined) out.additionalProperties = false;
  void example;
  return nullable ? { anyOf: [out, { type: 'null' }] } : out;
}

type Validate = ((data: unknown) => boolean) & { errors?: unknown[] | null };
interface AjvLike {
  addSchema(schema: object): void;
  compile(schema: object): Validate;
}
function bodyValidator(doc: Document): (schema: Schema) => Validate {
  const Ajv = (createRequire(import.meta.url)('ajv') as { default: new (o: object) => AjvLike })
    .default;
  const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });
  ajv.addSchema({ $id: 'openapi', components: { schemas: jsonSchema(doc.components.schemas) } });
  return (schema) => ajv.compile(jsonSchema(schema) as object);
}

describe('OpenAPI example walk', () => {
  let app: INestApplication<App>;
  let doc: Document;
  const usernames = new Map<Role, string>();
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    // The file's own database (test/support/per-file-database.ts) holds nothing but the seeded catalogue.
    app = await createTestApp();
    // One user per role: force roles in Derbyshire (the force of the document's examples), the others national.
    for (const role of ROLES) {
      const username = `walk-${role.replace(/_/g, '-')}`;
      const password = randomBytes(16).toString('base64url');
      const forces = role === 'registrar' || role === 'force_crime_registrar' ? ['derbyshire'] : [];
      await app.get(UsersService).create(
        'test',
        {
          username,
          displayName: username,
          password,
          roles: [role],
          forceIds: forces,
          allForces: forces.length === 0 && role !== 'admin',
        },
        () => true,
      );
      usernames.set(role, username);
    }
    doc = (await http().get('/api/docs-json').expect(200)).body as Document;
  });
  afterAll(async () => {
    await app?.close();
  });

  const operations = () =>
    Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => ({
        route: `${method.toUpperCase()} ${path}`,
        method,
        path,
        op,
      })),
    );

  // A fresh session per operation, so POST /auth/logout ends only its own. Issued as POST /auth/login does, less
  // the password hash check (argon2 costs most of a second per login).
  async function token(role: Role): Promise<string> {
    const user = await app.get(UsersService).byUsername(usernames.get(role)!);
    return (await app.get(AuthService).login(user!)).accessToken;
  }

  it('documents a success response with a schema (or a file type) for every operation', () => {
    const missing = operations().flatMap(({ route, op }) => {
      const ok = successCodes(op);
      if (ok.length === 0) return [`${route}: no success response`];
      return ok.flatMap((code) => {
        if (code === '204') return [];
        const content = op.responses[code].content ?? {};
        if (Object.keys(content).length === 0) return [`${route} ${code}: no content`];
        return Object.entries(content)
          .filter(([type, media]) => isJson(type) && !media.schema)
          .map(([type]) => `${route} ${code} ${type}: no schema`);
      });
    });
    expect(missing).toEqual([]);
  });

  it('documents no property as a bare object: nullable fields keep their type', () => {
    const bare: string[] = [];
    const visit = (s: unknown, at: string) => {
      if (!s || typeof s !== 'object') return;
      const o = s as Schema;
      if (
        o.type === 'object' &&
        !o.properties &&
        o.additionalProperties === undefined &&
        !o.allOf &&
        !o.oneOf
      )
        bare.push(at);
      for (const [k, v] of Object.entries(o)) visit(v, `${at}.${k}`);
    };
    visit(doc.components.schemas, 'schemas');
    visit(doc.paths, 'paths');
    expect(bare).toEqual([]);
  });

  it('sends every operation its generated example: none is refused as a shape, each gets its exact result and the documented body', async () => {
    const results: Record<string, number> = {};
    const refused: string[] = [];
    const undocumented: string[] = [];
    const validator = bodyValidator(doc);
    for (const { route, method, path, op } of operations()) {
      const params = op.parameters ?? [];
      let url = path;
      for (const p of params.filter((x) => x.in === 'path'))
        url = url.replace(`{${p.name}}`, encodeURIComponent(paramValue(doc, p) ?? ''));
      const query = Object.fromEntries(
        params
          .filter((x) => x.in === 'query')
          .flatMap((p) => {
            const v = paramValue(doc, p);
            return v === undefined ? [] : [[p.name, v]];
          }),
      );
      const req = (http() as unknown as Record<string, (u: string) => request.Test>)
        [method](url)
        .query(query);
      const roles = allowedRoles(op);
      if (op.security && roles.length > 0)
        req.set('authorization', `Bearer ${await token(roles[0])}`);
      // Swagger UI offers the first media type of a body; its example is the media's (first) example, or one built
      // from the schema.
      const [type, media] = Object.entries(op.requestBody?.content ?? {})[0] ?? [];
      if (type && media) {
        const body =
          media.example ??
          Object.values(media.examples ?? {})[0]?.value ??
          sample(doc, media.schema);
        req.set('content-type', type).send(typeof body === 'string' ? body : JSON.stringify(body));
      }
      const res = await req;
      results[route] = res.status;
      if (res.status === 400 || res.status >= 500)
        refused.push(`${route} ${res.status}: ${(res.body as { message?: string }).message}`);
      // A success body is what the document says it is.
      if (res.status >= 200 && res.status < 300 && res.status !== 204) {
        const documented = op.responses[String(res.status)]?.content?.['application/json']?.schema;
        if (!documented) undocumented.push(`${route} ${res.status}`);
        else if (String(res.headers['content-type']).startsWith('application/json')) {
          const check = validator(documented);
          if (!check(res.body))
            undocumented.push(
              `${route} ${res.status}: ${JSON.stringify(check.errors?.slice(0, 3))}`,
            );
        }
      }
    }
    expect(refused).toEqual([]);
    expect(undocumented).toEqual([]);
    expect(results).toEqual(EXPECTED);
  });
});
