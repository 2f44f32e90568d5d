import { canonicalJson, sha256Hex } from './canonical-json.js';

describe('canonicalJson', () => {
  it('does not depend on key order, at any depth', () => {
    const a = { b: 1, a: { d: [1, { y: 2, x: 1 }], c: null }, e: 'é' };
    const b = { e: 'é', a: { c: null, d: [1, { x: 1, y: 2 }] }, b: 1 };
    expect(canonicalJson(a)).toBe(canonicalJson(b));
    expect(canonicalJson(a)).toBe('{"a":{"c":null,"d":[1,{"x":1,"y":2}]},"b":1,"e":"é"}');
  });

  it('keeps array order', () => {
    expect(canonicalJson([2, 1])).not.toBe(canonicalJson([1, 2]));
  });

  it('writes numbers and dates as JSON does and leaves out undefined properties', () => {
    expect(
      canonicalJson({ n: 84.2, z: -0, d: new Date('2016-03-31T23:00:00Z'), u: undefined }),
    ).toBe('{"d":"2016-03-31T23:00:00.000Z","n":84.2,"z":0}');
  });

  it.each([
    ['NaN', { x: Number.NaN }],
    ['Infinity', { x: Number.POSITIVE_INFINITY }],
    ['undefined in an array', [1, undefined]],
    ['a bigint', { x: 1n }],
    ['a function', { x: () => 1 }],
  ])('refuses %s', (_, value) => {
    expect(() => canonicalJson(value)).toThrow(TypeError);
  });
});

describe('sha256Hex', () => {
  it('hashes the UTF-8 text', () => {
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256Hex(canonicalJson({ b: 1, a: 2 }))).toBe(sha256Hex('{"a":2,"b":1}'));
  });
});
