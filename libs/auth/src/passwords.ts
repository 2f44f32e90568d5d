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
