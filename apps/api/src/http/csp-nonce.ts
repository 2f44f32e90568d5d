import { randomBytes } from 'node:crypto';

// A fresh CSP nonce (128 bits from the CSPRNG, base64) for every response. Drawn from a pooled buffer, as Node's
// randomUUID() does: a synchronous randomBytes(16) on every request was 1.8 % of the app's CPU under load (issue
// #21, bench/README.md). Each nonce is a slice of the pool used once, so it is as unpredictable as its own call.
const NONCE_BYTES = 16;
const POOL_NONCES = 256;

let pool = Buffer.alloc(0);
let offset = 0;

export function cspNonce(): string {
  if (offset + NONCE_BYTES > pool.length) {
    pool = randomBytes(NONCE_BYTES * POOL_NONCES);
    offset = 0;
  }
  const nonce = pool.toString('base64', offset, offset + NONCE_BYTES);
  offset += NONCE_BYTES;
  return nonce;
}
