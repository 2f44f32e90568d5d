import { jest } from '@jest/globals';
import { JwtService } from '@nestjs/jwt';
import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { AuthConfig } from './auth.config.js';
import { AuthService } from './auth.service.js';
import type { SessionCache } from './session-cache.js';
import type { UsersService } from './users.service.js';

// AuthService.verifyAccessToken keeps the tokens that verified, so that a token is verified once and not on every
// request: it must still answer as verifying each time would (the guard's own checks are test/auth.e2e-spec.ts).
describe('access tokens kept as verified (issue #21)', () => {
  const t0 = new Date('2026-12-06T12:00:00Z').getTime();
  const secret = randomBytes(32).toString('hex');
  const signer = new JwtService({ secret, signOptions: { algorithm: 'HS256' } });
  const service = () => {
    const jwt = new JwtService({ secret, verifyOptions: { algorithms: ['HS256'] } });
    const verify = jest.spyOn(jwt, 'verify');
    const auth = new AuthService({} as DataSource, {} as UsersService, jwt, {} as SessionCache, {
      jwtSecret: secret,
      accessTtlSeconds: 900,
      refreshTtlSeconds: 3600,
      maxFailedLogins: 5,
      lockoutSeconds: 60,
    } satisfies AuthConfig);
    return { auth, verify };
  };
  const claims = { sub: 'alice', sid: '6f1c3a52-0000-4000-8000-000000000001', typ: 'access' };

  beforeEach(() => {
    jest.useFakeTimers({ now: t0 });
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('verifies a token once, then answers its claims again without verifying', () => {
    const { auth, verify } = service();
    const token = signer.sign(claims, { expiresIn: 900 });
    const first = auth.verifyAccessToken(token);
    const again = auth.verifyAccessToken(token);
    expect(first).toMatchObject(claims);
    expect(again).toEqual(first);
    expect(verify).toHaveBeenCalledTimes(1);
  });

  it('refuses a kept token from the second its expiry names, as jsonwebtoken does', () => {
    const { auth } = service();
    const token = signer.sign(claims, { expiresIn: 900 });
    auth.verifyAccessToken(token);
    jest.setSystemTime(t0 + 899_999);
    expect(auth.verifyAccessToken(token).sub).toBe('alice');
    jest.setSystemTime(t0 + 900_000);
    expect(() => auth.verifyAccessToken(token)).toThrow('jwt expired');
    expect(() => auth.verifyAccessToken(token)).toThrow('jwt expired');
  });

  it('refuses a tampered copy of a kept token, and keeps no token that failed', () => {
    const { auth, verify } = service();
    const token = signer.sign(claims, { expiresIn: 900 });
    auth.verifyAccessToken(token);
    const [h, , sig] = token.split('.');
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...claims, sub: 'mallory', exp: 2e9 })).toString('base64url')}.${sig}`;
    expect(() => auth.verifyAccessToken(forged)).toThrow('invalid signature');
    expect(() => auth.verifyAccessToken(forged)).toThrow('invalid signature');
    const other = new JwtService({ secret: randomBytes(32).toString('hex') }).sign(claims, {
      expiresIn: 900,
    });
    expect(() => auth.verifyAccessToken(other)).toThrow('invalid signature');
    expect(() => auth.verifyAccessToken(other)).toThrow('invalid signature');
    expect(verify).toHaveBeenCalledTimes(5); // the good token once, each refusal each time
  });

  it('verifies every time a token with no expiry or with a start (nbf)', () => {
    const { auth, verify } = service();
    const endless = signer.sign(claims);
    const starting = signer.sign(claims, { expiresIn: 900, notBefore: 0 });
    for (let i = 0; i < 2; i++) {
      auth.verifyAccessToken(endless);
      auth.verifyAccessToken(starting);
    }
    expect(verify).toHaveBeenCalledTimes(4);
  });

  it('gives every caller claims it cannot change for the others', () => {
    const { auth } = service();
    const token = signer.sign(claims, { expiresIn: 900 });
    auth.verifyAccessToken(token);
    const kept = auth.verifyAccessToken(token);
    expect(() => {
      (kept as { sub: string }).sub = 'mallory';
    }).toThrow(TypeError);
    expect(auth.verifyAccessToken(token).sub).toBe('alice');
  });
});
