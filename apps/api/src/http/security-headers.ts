import helmet from 'helmet';
import type { IncomingMessage, ServerResponse } from 'node:http';

// The response's CSP nonce, where helmet's script-src directive (which gets Node's response) reads it.
const NONCE = Symbol('cspNonce');
type NonceResponse = ServerResponse & { [NONCE]?: string };

// The app's helmet: its defaults, and scripts only from the service itself or with the response's nonce.
export function helmetWithNonce() {
  return helmet({
    contentSecurityPolicy: {
      directives: {
        scriptSrc: [
          "'self'",
          (_req: IncomingMessage, res: ServerResponse) =>
            `'nonce-${(res as NonceResponse)[NONCE] ?? ''}'`,
        ],
      },
    },
  });
}

// helmet works its headers out again for every response (the CSP is joined anew, as one directive is a function
// of the response): 3 % of the workers' time in a profile of creates under load (issue #21, bench/README.md,
// "Seventeenth session"). Apart from the nonce they are the same for every response, so helmet runs once, on a
// stand-in response whose nonce is a marker, and what it did there (headers set, headers removed) is done again on
// each response with the marker replaced by that response's nonce. helmet stays the one source of the policy;
// security-headers.spec.ts compares the result with helmet's own on real responses.
// The replay writes to the reply's own headers (Fastify's, sent with the status line in one writeHead) rather than
// Node's response: setHeader validates and stores each of the 14 headers one by one, and once any is set there
// Fastify's own are set that way too (bench/README.md, "Twenty-first session"). Every answer goes through the
// reply, errors included (test/web/security-headers.e2e-spec.ts).
const MARKER = 'cyberflagNonceMarker';

// What the replay writes to: a Fastify reply, or (the spec) an adapter of Node's response.
export interface HeaderTarget {
  header(name: string, value: string | number | readonly string[]): unknown;
  removeHeader(name: string): unknown;
}

export function securityHeaders(): (reply: HeaderTarget, nonce: string) => void {
  const set: { name: string; value: string | number | readonly string[] }[] = [];
  const removed: string[] = [];
  const standIn = {
    [NONCE]: MARKER,
    setHeader(name: string, value: string | number | readonly string[]) {
      set.push({ name: name.toLowerCase(), value });
      return standIn;
    },
    removeHeader(name: string) {
      removed.push(name.toLowerCase());
    },
  };
  let failed: unknown = null;
  let called = false;
  helmetWithNonce()(
    {} as IncomingMessage,
    standIn as unknown as ServerResponse,
    (err?: unknown) => {
      called = true;
      failed = err ?? null;
    },
  );
  // helmet is synchronous: anything else (an error, a later call) and the replay would not be what helmet does.
  if (!called || failed !== null)
    throw new Error(`helmet did not run as expected: ${String(failed)}`);
  const withNonce = set.filter((h) => typeof h.value === 'string' && h.value.includes(MARKER));
  if (withNonce.length !== 1) throw new Error('expected the nonce in exactly one header');
  const [nonceHeader] = withNonce;
  const parts = (nonceHeader!.value as string).split(MARKER);
  if (parts.length !== 2) throw new Error('expected the nonce once in its header');
  const [before, after] = parts as [string, string];
  const fixed = set.filter((h) => h !== nonceHeader);
  return (reply, nonce) => {
    for (const name of removed) reply.removeHeader(name);
    for (const h of fixed) reply.header(h.name, h.value);
    reply.header(nonceHeader!.name, before + nonce + after);
  };
}

// helmet itself, on one response (the spec's reference).
export function helmetHeaders(res: ServerResponse, nonce: string): Promise<void> {
  (res as NonceResponse)[NONCE] = nonce;
  return new Promise((resolve, reject) =>
    helmetWithNonce()({} as IncomingMessage, res, (err?: unknown) =>
      err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve(),
    ),
  );
}
