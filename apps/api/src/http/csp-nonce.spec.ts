import { cspNonce } from './csp-nonce.js';

describe('cspNonce', () => {
  it('gives 128-bit base64 nonces, never the same twice, across refills of its pool', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 256 * 4 + 3; i++) {
      const n = cspNonce();
      expect(n).toMatch(/^[A-Za-z0-9+/]{22}==$/);
      expect(Buffer.from(n, 'base64')).toHaveLength(16);
      seen.add(n);
    }
    expect(seen.size).toBe(256 * 4 + 3);
  });
});
