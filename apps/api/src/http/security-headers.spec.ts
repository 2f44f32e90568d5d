import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { cspNonce } from './csp-nonce.js';
import { helmetHeaders, securityHeaders, type HeaderTarget } from './security-headers.js';

const response = () => new ServerResponse(new IncomingMessage(new Socket()));
// Node's response as the replay's target (the app's is Fastify's reply; test/web/security-headers.e2e-spec.ts).
const target = (res: ServerResponse): HeaderTarget => ({
  header: (name, value) => res.setHeader(name, value),
  removeHeader: (name) => res.removeHeader(name),
});

describe('securityHeaders', () => {
  it('sets on each response exactly the headers helmet sets, with that response’s nonce', async () => {
    const replay = securityHeaders();
    for (let i = 0; i < 3; i++) {
      const nonce = cspNonce();
      const theirs = response();
      theirs.setHeader('x-powered-by', 'something'); // helmet removes it
      await helmetHeaders(theirs, nonce);
      const ours = response();
      ours.setHeader('x-powered-by', 'something');
      replay(target(ours), nonce);
      expect(ours.getHeaders()).toEqual(theirs.getHeaders());
      expect(ours.getHeader('x-powered-by')).toBeUndefined();
      expect(String(ours.getHeader('content-security-policy'))).toContain(
        `script-src 'self' 'nonce-${nonce}'`,
      );
      expect(Object.keys(ours.getHeaders()).length).toBeGreaterThan(8);
    }
  });

  it('gives two responses their own nonces', () => {
    const replay = securityHeaders();
    const [a, b] = [response(), response()];
    replay(target(a), 'first');
    replay(target(b), 'second');
    expect(String(a.getHeader('content-security-policy'))).toContain("'nonce-first'");
    expect(String(a.getHeader('content-security-policy'))).not.toContain('second');
    expect(String(b.getHeader('content-security-policy'))).toContain("'nonce-second'");
  });
});
