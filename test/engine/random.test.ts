import { describe, expect, it } from 'vitest';
import { philox4x32, randomSourceFromSeed } from '../../engine/random.ts';

const hex = (a: Uint32Array) => [...a].map((x) => x.toString(16).padStart(8, '0'));

describe('Philox4x32-10 random source', () => {
  it('matches the Random123 known-answer vectors', () => {
    expect(hex(philox4x32([0, 0, 0, 0], [0, 0]))).toEqual(['6627e8d5', 'e169c58d', 'bc57ac4c', '9b00dbd8']);
    expect(hex(philox4x32([0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff], [0xffffffff, 0xffffffff]))).toEqual(['408f276d', '41c83b0e', 'a20bc7c6', '6d5451fd']);
    expect(hex(philox4x32([0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344], [0xa4093822, 0x299f31d0]))).toEqual(['d16cfe09', '94fdcceb', '5001e420', '24126ea1']);
  });

  it('gives the same stream for the same seed and a different one otherwise', () => {
    const a = randomSourceFromSeed('s').fillUniform(new Float64Array(8));
    expect(randomSourceFromSeed('s').fillUniform(new Float64Array(8))).toEqual(a);
    expect(randomSourceFromSeed('t').fillUniform(new Float64Array(8))).not.toEqual(a);
  });

  it('draws normals with mean 0 and variance 1', () => {
    const x = randomSourceFromSeed('normal').fillNormal(new Float64Array(200_000));
    const mean = x.reduce((s, v) => s + v, 0) / x.length;
    const variance = x.reduce((s, v) => s + (v - mean) ** 2, 0) / x.length;
    expect(Math.abs(mean)).toBeLessThan(0.01);
    expect(Math.abs(variance - 1)).toBeLessThan(0.01);
  });

  it('forks independent named streams that do not shift the parent', () => {
    const r1 = randomSourceFromSeed('p');
    const r2 = randomSourceFromSeed('p');
    r1.fork('child').uniform();
    expect(r1.uniform()).toBe(r2.uniform());
    expect(randomSourceFromSeed('p').fork('a').uniform()).not.toBe(randomSourceFromSeed('p').fork('b').uniform());
  });

  it('permutes every index exactly once', () => {
    const p = randomSourceFromSeed('perm').permutation(1000);
    expect([...p].sort((a, b) => a - b)).toEqual([...Array(1000).keys()]);
  });
});
