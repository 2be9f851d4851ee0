import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { canonicalJson, CanonicalEncodingError } from '../../engine/canonical.ts';

const jsonValue = fc.jsonValue({ maxDepth: 3 }).filter((v) => JSON.stringify(v) !== undefined);

function shuffleKeys(v: unknown, seed: number): unknown {
  if (Array.isArray(v)) return v.map((x, i) => shuffleKeys(x, seed + i));
  if (v && typeof v === 'object') {
    const keys = Object.keys(v);
    const rotated = keys.map((_, i) => keys[(i + seed) % keys.length]!).reverse();
    return Object.fromEntries(rotated.map((k) => [k, shuffleKeys((v as Record<string, unknown>)[k], seed + 1)]));
  }
  return v;
}

describe('canonical params', () => {
  it('ignores key order at every depth', () => {
    fc.assert(fc.property(jsonValue, fc.nat(10), (v, seed) => canonicalJson(v) === canonicalJson(shuffleKeys(v, seed))));
  });

  it('encodes each double by its exact value: equal numbers agree, different ones differ', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.double({ noNaN: true, noDefaultInfinity: true }), (a, b) => {
        const same = a === b; // -0 === 0 by design
        return (canonicalJson({ x: a }) === canonicalJson({ x: b })) === same;
      }),
    );
    expect(canonicalJson({ x: 1 })).toBe(canonicalJson({ x: 1.0 }));
    expect(canonicalJson({ x: 0.1 + 0.2 })).not.toBe(canonicalJson({ x: 0.3 }));
  });

  it('encodes −0 as 0', () => {
    expect(canonicalJson({ x: -0 })).toBe(canonicalJson({ x: 0 }));
    expect(canonicalJson([-0])).toBe('[0]');
  });

  it.each([
    ['NaN', { a: Number.NaN }, 'a'],
    ['Infinity', { a: { b: Number.POSITIVE_INFINITY } }, 'a.b'],
    ['-Infinity', { a: [Number.NEGATIVE_INFINITY] }, 'a[0]'],
    ['undefined', { a: undefined }, 'a'],
    ['a function', { a: () => 1 }, 'a'],
    ['a class instance', { a: new Date(0) }, 'a'],
    ['a Map', { a: new Map() }, 'a'],
  ])('rejects %s and names where it is', (_what, value, path) => {
    expect(() => canonicalJson(value)).toThrow(CanonicalEncodingError);
    expect(() => canonicalJson(value)).toThrow(path);
  });

  it('hashes typed arrays by their bytes and type', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ noNaN: true }), { maxLength: 20 }), (xs) => {
        const a = canonicalJson({ v: Float64Array.from(xs) });
        return a === canonicalJson({ v: Float64Array.from(xs) }) && a !== canonicalJson({ v: Float32Array.from(xs) });
      }),
    );
    expect(canonicalJson(Float64Array.of(1, 2))).not.toBe(canonicalJson(Float64Array.of(1, 3)));
  });

  it('keeps strings, booleans and null distinct from look-alikes', () => {
    expect(canonicalJson({ a: '1' })).not.toBe(canonicalJson({ a: 1 }));
    expect(canonicalJson({ a: 'true' })).not.toBe(canonicalJson({ a: true }));
    expect(canonicalJson({ a: null })).not.toBe(canonicalJson({ a: 'null' }));
  });
});
