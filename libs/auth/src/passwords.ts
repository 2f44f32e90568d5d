import argon2 from 'argon2';

// argon2id with the library's defaults (OWASP-grade); hashes carry their own parameters.
export const hashPassword = (password: string): Promise<string> =>
  argon2.hash(password, { type: argon2.argon2id });
export const verifyPassword = (hash: string, password: string): Promise<boolean> =>
  argon2.verify(hash, password).catch(() => false);

// A password policy that is about length, not character classes (NCSC guidance).
export function passwordProblem(password: string): string | null {
  if (password.length < 12) return 'password must be at least 12 characters';
  if (password.length > 256) return 'password must be at most 256 characters';
  return null;
}

// The candidate for a stored hash whose secret part stays in the database (migration 1780000020100): the typed
// password hashed with the stored algorithm, parameters and salt (phc: the stored string without its last field),
// in the stored encoding. Null when the stored string is not an argon2 hash this code knows.
export async function deriveHash(
  phc: string,
  hashChars: number,
  password: string,
): Promise<string | null> {
  const m = /^\$(argon2id|argon2i|argon2d)\$v=(\d+)\$([a-z0-9=,]+)\$([A-Za-z0-9+/]+)$/.exec(phc);
  if (!m) return null;
  const params = Object.fromEntries(m[3].split(',').map((kv) => kv.split('='))) as Record<
    string,
    string
  >;
  const [memoryCost, timeCost, parallelism] = [params.m, params.t, params.p].map(Number);
  if (![memoryCost, timeCost, parallelism].every((n) => Number.isInteger(n) && n > 0)) return null;
  const raw = await argon2.hash(password, {
    type: { argon2d: argon2.argon2d, argon2i: argon2.argon2i, argon2id: argon2.argon2id }[
      m[1] as 'argon2id'
    ] as 0 | 1 | 2,
    version: Number(m[2]) as 0x13,
    memoryCost,
    timeCost,
    parallelism,
    salt: Buffer.from(m[4], 'base64'),
    hashLength: Math.floor((hashChars * 3) / 4),
    raw: true,
  });
  return raw.toString('base64').replace(/=+$/, '');
}
