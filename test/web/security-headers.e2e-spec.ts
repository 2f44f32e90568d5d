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
});
