import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { haarOrthogonal, modulationFromSpectrum, bipartiteModulation, modulationFromMatrix } from '../../nodes/teacher-student/compute.ts';
import { mat } from '../../engine/compute/matrix.ts';
import { linalg, rng } from './helpers.ts';

function maxOrthogonalityDefect(Q: { rows: number; data: Float64Array }): number {
  const d = Q.rows;
  const QtQ = linalg.gemm(mat(d, d, Q.data), mat(d, d, Q.data), { transA: true });
  let worst = 0;
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) worst = Math.max(worst, Math.abs(QtQ.data[i * d + j]! - (i === j ? 1 : 0)));
  return worst;
}

describe('modulation matrix F', () => {
  it('property: Haar matrices are orthogonal to 1e-10', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), fc.string(), (d, seed) => {
        expect(maxOrthogonalityDefect(haarOrthogonal(d, rng(seed), linalg))).toBeLessThan(1e-10);
      }),
      { numRuns: 40 },
    );
  });

  it('Haar matrices have the sign fix: their first-column entries are not biased to one sign', () => {
    // without the fix, Householder QR returns diag(R) of one sign and biases Q; with it, E[Q_11] = 0
    let sum = 0;
    for (let s = 0; s < 200; s++) sum += haarOrthogonal(3, rng(`sign-${s}`), linalg).data[0]!;
    expect(Math.abs(sum / 200)).toBeLessThan(0.15);
  });

  it('property: F built from a spectrum has exactly that spectrum', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 1e-3, max: 1e3, noNaN: true }), { minLength: 2, maxLength: 30 }), fc.string(), (spectrum, seed) => {
        const m = modulationFromSpectrum(spectrum, rng(seed), linalg);
        const got = Array.from(linalg.svd(m.F).s).sort((a, b) => b - a);
        const want = [...spectrum].sort((a, b) => b - a);
        got.forEach((s, i) => expect(Math.abs(s - want[i]!) / want[i]!).toBeLessThan(1e-9));
      }),
      { numRuns: 40 },
    );
  });

  it('a bipartite F has p singular values 1 and d − p equal to 1/κ', () => {
    const m = bipartiteModulation(20, 7, 50, rng('bi'), linalg);
    const s = Array.from(linalg.svd(m.F).s);
    s.slice(0, 7).forEach((v) => expect(v).toBeCloseTo(1, 12));
    s.slice(7).forEach((v) => expect(v).toBeCloseTo(1 / 50, 12));
  });

  it('rejects bad sizes and singular or non-finite F', () => {
    expect(() => bipartiteModulation(10, 0, 2, rng('x'), linalg)).toThrow(/p must be/);
    expect(() => bipartiteModulation(10, 10, 2, rng('x'), linalg)).toThrow(/p must be/);
    expect(() => bipartiteModulation(10, 5, 0.5, rng('x'), linalg)).toThrow(/κ must be/);
    expect(() => modulationFromSpectrum([1, Number.NaN], rng('x'), linalg)).toThrow(/finite/);
    expect(() => modulationFromSpectrum([1, 0], rng('x'), linalg)).toThrow(/> 0/);
    expect(() => modulationFromMatrix(mat(2, 2, Float64Array.of(1, 2, 2, 4)), 2, linalg)).toThrow(/singular/);
    expect(() => modulationFromMatrix(mat(2, 3, new Float64Array(6)), 2, linalg)).toThrow(/2×2/);
  });
});
