/**
 * The native float64 backend against the ml-matrix backend and against the defining identities
 * (A V = V Λ, U S Vᵀ = A, QR = A, orthogonality, Moore–Penrose conditions).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mlMatrixLinalg, gemmRowMajor } from '../../compute/linalg-mlmatrix.ts';
import { nativeLinalg } from '../../compute/linalg-native.ts';
import { mat, type Mat } from '../../engine/compute/matrix.ts';
import { addon, skipNative, skipTitle } from './native-available.ts';

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296 - 0.5;
  };
}
const random = (rows: number, cols: number, seed: number) => mat(rows, cols, Float64Array.from({ length: rows * cols }, rng(seed)));
function symmetric(n: number, seed: number): Mat {
  const g = random(n, n, seed).data;
  return mat(n, n, Float64Array.from({ length: n * n }, (_, k) => g[k]! + g[(k % n) * n + Math.floor(k / n)]!));
}
const mul = (a: Mat, b: Mat, transA = false, transB = false) => gemmRowMajor(a, b, transA, transB);
function maxAbsDiff(a: Mat | Float64Array, b: Mat | Float64Array): number {
  const x = 'data' in a ? a.data : a, y = 'data' in b ? b.data : b;
  expect(x.length).toBe(y.length);
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]! - y[i]!));
  return m;
}
const identity = (n: number) => mat(n, n, Float64Array.from({ length: n * n }, (_, k) => (k % (n + 1) === 0 ? 1 : 0)));
function scaleColumns(a: Mat, s: Float64Array): Mat {
  return mat(a.rows, a.cols, a.data.map((v, k) => v * s[k % a.cols]!));
}

describe.skipIf(skipNative)(`native linalg${skipTitle}`, () => {
  const la = () => nativeLinalg(addon());

  it('eighSym: ascending eigenvalues equal to ml-matrix, A V = V Λ, VᵀV = I', () => {
    for (const n of [1, 2, 7, 40]) {
      const a = symmetric(n, n);
      const { values, vectors } = la().eighSym(a);
      const ref = mlMatrixLinalg.eighSym(a);
      expect(maxAbsDiff(values, ref.values)).toBeLessThan(1e-12 * n);
      for (let i = 1; i < n; i++) expect(values[i]!).toBeGreaterThanOrEqual(values[i - 1]!);
      expect(maxAbsDiff(mul(a, vectors), scaleColumns(vectors, values))).toBeLessThan(1e-12 * n);
      expect(maxAbsDiff(mul(vectors, vectors, true), identity(n))).toBeLessThan(1e-13 * n);
    }
  });

  it('svd thin and full: U diag(s) Vᵀ = A, orthonormal factors, s descending and equal to ml-matrix', () => {
    for (const [m, n] of [[5, 3], [3, 5], [6, 6], [1, 4]] as const) {
      const a = random(m, n, m * 10 + n);
      const k = Math.min(m, n);
      const thin = la().svd(a);
      expect([thin.U.rows, thin.U.cols, thin.V.rows, thin.V.cols, thin.s.length]).toEqual([m, k, n, k, k]);
      expect(maxAbsDiff(mul(scaleColumns(thin.U, thin.s), thin.V, false, true), a)).toBeLessThan(1e-13);
      expect(maxAbsDiff(mul(thin.U, thin.U, true), identity(k))).toBeLessThan(1e-13);
      expect(maxAbsDiff(mul(thin.V, thin.V, true), identity(k))).toBeLessThan(1e-13);
      expect(maxAbsDiff(thin.s, mlMatrixLinalg.svd(a).s)).toBeLessThan(1e-12);
      for (let i = 1; i < k; i++) expect(thin.s[i]!).toBeLessThanOrEqual(thin.s[i - 1]!);
      const full = la().svd(a, { thin: false });
      expect([full.U.rows, full.U.cols, full.V.rows, full.V.cols]).toEqual([m, m, n, n]);
      expect(maxAbsDiff(mul(full.U, full.U, true), identity(m))).toBeLessThan(1e-13);
      expect(maxAbsDiff(mul(full.V, full.V, true), identity(n))).toBeLessThan(1e-13);
      expect(maxAbsDiff(full.s, thin.s)).toBe(0);
    }
  });

  it('solve: A X = B and agrees with ml-matrix', () => {
    const a = random(30, 30, 3), b = random(30, 4, 4);
    const x = la().solve(a, b);
    expect(maxAbsDiff(mul(a, x), b)).toBeLessThan(1e-12);
    expect(maxAbsDiff(x, mlMatrixLinalg.solve(a, b))).toBeLessThan(1e-10);
  });

  it('lstsq and pinv: minimum-norm solutions equal to ml-matrix, including rank-deficient A', () => {
    const tall = random(12, 4, 5), wide = random(4, 12, 6), b = random(12, 2, 7), bw = random(4, 2, 8);
    // rank 2: the third and fourth columns repeat the first two
    const deficient = mat(12, 4, Float64Array.from({ length: 48 }, (_, k) => tall.data[Math.floor(k / 4) * 4 + (k % 2)]!));
    for (const [a, rhs] of [[tall, b], [wide, bw], [deficient, b]] as const) {
      const x = la().lstsq(a, rhs);
      expect(maxAbsDiff(x, mlMatrixLinalg.lstsq(a, rhs))).toBeLessThan(1e-10);
      const p = la().pinv(a);
      expect(maxAbsDiff(p, mlMatrixLinalg.pinv(a))).toBeLessThan(1e-10);
      // Moore–Penrose: A P A = A, P A P = P
      expect(maxAbsDiff(mul(mul(a, p), a), a)).toBeLessThan(1e-12);
      expect(maxAbsDiff(mul(mul(p, a), p), p)).toBeLessThan(1e-12);
      expect(maxAbsDiff(x, mul(p, rhs))).toBeLessThan(1e-12);
    }
  });

  it('qr: thin Q with orthonormal columns, upper-triangular R, Q R = A', () => {
    for (const [m, n] of [[7, 3], [3, 7], [5, 5]] as const) {
      const a = random(m, n, m + 100 * n);
      const { Q, R } = la().qr(a);
      const k = Math.min(m, n);
      expect([Q.rows, Q.cols, R.rows, R.cols]).toEqual([m, k, k, n]);
      expect(maxAbsDiff(mul(Q, R), a)).toBeLessThan(1e-13);
      expect(maxAbsDiff(mul(Q, Q, true), identity(k))).toBeLessThan(1e-13);
      for (let i = 0; i < k; i++) for (let j = 0; j < Math.min(i, n); j++) expect(R.data[i * n + j]).toBe(0);
    }
  });

  it('gemm equals the JS product for every transpose combination (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 }), fc.boolean(), fc.boolean(), fc.integer(), (p, q, r, ta, tb, seed) => {
        const a = ta ? random(r, p, seed) : random(p, r, seed);
        const b = tb ? random(q, r, seed + 1) : random(r, q, seed + 1);
        const c = la().gemm(a, b, { transA: ta, transB: tb });
        expect([c.rows, c.cols]).toEqual([p, q]);
        expect(maxAbsDiff(c, mul(a, b, ta, tb))).toBeLessThan(1e-14 * r + 1e-15);
      }),
      { numRuns: 60 },
    );
  });

  it('sgemm (float32) matches the float64 product to float32 precision', () => {
    const a = random(20, 30, 9), b = random(20, 10, 10);
    const c = addon().sgemm({ rows: 20, cols: 30, data: Float32Array.from(a.data) }, { rows: 20, cols: 10, data: Float32Array.from(b.data) }, true, false);
    expect(c.data).toBeInstanceOf(Float32Array);
    expect(maxAbsDiff(Float64Array.from(c.data), mul(a, b, true, false).data)).toBeLessThan(1e-5);
  });

  it('async variants resolve to the same results as the sync calls', async () => {
    const a = symmetric(25, 11), g = random(25, 8, 12);
    const async = la().async;
    expect(maxAbsDiff((await async.eighSym(a)).vectors, la().eighSym(a).vectors)).toBe(0);
    expect(maxAbsDiff((await async.svd(g)).U, la().svd(g).U)).toBe(0);
    expect(maxAbsDiff(await async.solve(a, g), la().solve(a, g))).toBe(0);
    expect(maxAbsDiff(await async.lstsq(g, a), la().lstsq(g, a))).toBe(0);
    expect(maxAbsDiff(await async.pinv(g), la().pinv(g))).toBe(0);
    expect(maxAbsDiff((await async.qr(g)).R, la().qr(g).R)).toBe(0);
    expect(maxAbsDiff(await async.gemm(g, g, { transA: true }), la().gemm(g, g, { transA: true }))).toBe(0);
  });

  it('async calls keep working when the input is modified after the call (inputs are copied)', async () => {
    const a = symmetric(30, 13);
    const expected = la().eighSym(a).values;
    const pending = la().async.eighSym(a);
    a.data.fill(0);
    expect(maxAbsDiff((await pending).values, expected)).toBe(0);
  });
});
