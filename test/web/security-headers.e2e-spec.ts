import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { createTestApp } from '../support/create-test-app.js';

// The Content Security Policy and the other headers helmet sets (configure-app.ts). Pages may run scripts only from
// the service itself or with their own response's nonce: a fresh one for every response, on each of the page's
// script tags. Most browser tests bypass the policy, so it is pinned here.
describe('security headers', () => {
  let app: INestApplication;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  const http = () => request(app.getHttpServer());
  const directive = (csp: string, name: string) =>
    csp
      .split(';')
      .map((d) => d.trim())
      .find((d) => d.startsWith(`${name} `));

  it("gives every page a fresh nonce, and the page's script tags that nonce", async () => {
    const pages = [
      await http().get('/sign-in').expect(200),
      await http().get('/sign-in').expect(200),
    ];
    const nonces = pages.map((p) => {
      const scripts = directive(String(p.headers['content-security-policy']), 'script-src');
      const m = /^script-src 'self' 'nonce-([A-Za-z0-9+/]+={0,2})'$/.exec(scripts ?? '');
      expect(m).not.toBeNull();
      return m![1]!;
    });
    expect(nonces[0]).not.toBe(nonces[1]);
    expect(Buffer.from(nonces[0]!, 'base64')).toHaveLength(16);
    pages.forEach((p, i) => {
      const tags = [...p.text.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
      expect(tags.length).toBeGreaterThanOrEqual(2); // the template's inline snippet and the module
      for (const tag of tags) expect(tag).toContain(`nonce="${nonces[i]}"`);
    });
    expect(directive(String(pages[0]!.headers['content-security-policy']), 'object-src')).toBe(
      "object-src 'none'",
    );
  });

  it('sets the same protections on API answers, and forbids storing them', async () => {
    const r = await http().get('/health').expect(200);
    const csp = String(r.headers['content-security-policy']);
    expect(directive(csp, 'default-src')).toBe("default-src 'self'");
    expect(directive(csp, 'frame-ancestors')).toBe("frame-ancestors 'self'");
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(r.headers['strict-transport-security']).toMatch(/^max-age=\d+/);
    expect(r.headers['cache-control']).toContain('no-store');
    expect(r.headers['x-powered-by']).toBeUndefined();
  });

  // The headers are written to the reply (security-headers.ts), not to Node's response: every kind of answer must
  // still carry them, including those that Fastify, the exception filter or the static files give.
  it('sets the same headers on refusals, errors, unknown routes and static assets', async () => {
    const names = (h: Record<string, unknown>) =>
      Object.keys(h)
        .filter((k) => PROTECTIONS.includes(k))
        .sort();
    const ok = await http().get('/health').expect(200);
    expect(names(ok.headers)).toEqual([...PROTECTIONS].sort());
    const answers = [
      await http().get('/crimes').expect(401), // no token: the guard
      await http().get('/no-such-route').expect(404), // Fastify's own 404
      await http()
        .post('/auth/login')
        .set('content-type', 'application/json')
        .send('{"username": ')
        .expect(400), // a body that is not JSON: Fastify's parser
      // Refused by the service, through the exception filter.
      await http().post('/auth/login').send({ username: 'nobody', password: 'not-it' }).expect(401),
      await http()
        .post('/auth/login')
        .send({ username: 'x'.repeat(200 * 1024), password: 'x' })
        .expect(413), // over the body limit
      await http().get('/assets/govuk/govuk-frontend.min.css').expect(200),
    ];
    for (const r of answers) {
      expect(names(r.headers)).toEqual(names(ok.headers));
      for (const n of PROTECTIONS.filter((p) => p !== 'content-security-policy'))
        expect(r.headers[n]).toBe(ok.headers[n]);
      // Each answer has its own nonce; the rest of the policy is the same.
      const policy = (csp: unknown) => String(csp).replace(/'nonce-[^']*'/, "'nonce-…'");
      expect(policy(r.headers['content-security-policy'])).toBe(
        policy(ok.headers['content-security-policy']),
      );
      expect(r.headers['x-powered-by']).toBeUndefined();
    }
  });
});

// Headers helmet sets with the app's options (its defaults and the nonce).
const PROTECTIONS = [
  'content-security-policy',
  'cross-origin-opener-policy',
  'cross-origin-resource-policy',
  'origin-agent-cluster',
  'referrer-policy',
  'strict-transport-security',
  'x-content-type-options',
  'x-dns-prefetch-control',
  'x-download-options',
  'x-frame-options',
  'x-permitted-cross-domain-policies',
  'x-xss-protection',
];
