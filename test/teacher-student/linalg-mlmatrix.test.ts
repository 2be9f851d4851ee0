import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { mlMatrixLinalg as L } from '../../compute/linalg-mlmatrix.ts';
import { mat, type Mat } from '../../engine/compute/matrix.ts';
import { rng } from './helpers.ts';

const randomMat = (rows: number, cols: number, seed: string): Mat => mat(rows, cols, rng(seed).fillNormal(new Float64Array(rows * cols)));
const at = (a: Mat, i: number, j: number) => a.data[i * a.cols + j]!;

function naive(a: Mat, b: Mat, tA: boolean, tB: boolean): Mat {
  const m = tA ? a.cols : a.rows, k = tA ? a.rows : a.cols, n = tB ? b.rows : b.cols;
  const c = mat(m, n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
    let s = 0;
    for (let p = 0; p < k; p++) s += (tA ? at(a, p, i) : at(a, i, p)) * (tB ? at(b, j, p) : at(b, p, j));
    c.data[i * n + j] = s;
  }
  return c;
}

function maxDiff(a: Mat, b: Mat): number {
  expect([a.rows, a.cols]).toEqual([b.rows, b.cols]);
  let m = 0;
  for (let i = 0; i < a.data.length; i++) m = Math.max(m, Math.abs(a.data[i]! - b.data[i]!));
  return m;
}

describe('ml-matrix Linalg backend', () => {
  it('gemm of a matrix with itself (AᵀA, AAᵀ; one triangle computed, then mirrored) equals the triple loop and is exactly symmetric', () => {
    for (const [rows, cols] of [[37, 9], [9, 37], [64, 64]] as const) {
      const A = randomMat(rows, cols, `gram-${rows}-${cols}`);
      for (const [tA, tB] of [[true, false], [false, true]] as const) {
        const G = L.gemm(A, A, { transA: tA, transB: tB });
        const n = G.rows;
        for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) expect(at(G, i, j)).toBe(at(G, j, i));
        expect(maxDiff(G, naive(A, A, tA, tB))).toBeLessThan(1e-12);
      }
    }
  });

  it('property: gemm matches the textbook triple loop for every shape and transpose flag', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 }), fc.boolean(), fc.boolean(), (m, k, n, tA, tB) => {
        const a = tA ? randomMat(k, m, `a${m}${k}`) : randomMat(m, k, `a${m}${k}`);
        const b = tB ? randomMat(n, k, `b${k}${n}`) : randomMat(k, n, `b${k}${n}`);
        expect(maxDiff(L.gemm(a, b, { transA: tA, transB: tB }), naive(a, b, tA, tB))).toBeLessThan(1e-12);
      }),
      { numRuns: 150 },
    );
    expect(() => L.gemm(mat(2, 3), mat(2, 3))).toThrow(/inner dimensions/);
  });

  it('eighSym: ascending eigenvalues and A = V diag(λ) Vᵀ', () => {
    const g = randomMat(12, 12, 'sym');
    const a = L.gemm(g, g, { transA: true });
    const { values, vectors } = L.eighSym(a);
    for (let i = 1; i < 12; i++) expect(values[i]!).toBeGreaterThanOrEqual(values[i - 1]!);
    const scaled = mat(12, 12, vectors.data.map((v, idx) => v * values[idx % 12]!));
    expect(maxDiff(L.gemm(scaled, vectors, { transB: true }), a)).toBeLessThan(1e-10);
  });

  it('svd: thin and full factors reconstruct tall and wide matrices, s descending', () => {
    for (const [r, c] of [[7, 4], [4, 7]] as const) {
      const a = randomMat(r, c, `svd${r}`);
      const thin = L.svd(a);
      const k = Math.min(r, c);
      expect([thin.U.rows, thin.U.cols, thin.V.rows, thin.V.cols]).toEqual([r, k, c, k]);
      for (let i = 1; i < k; i++) expect(thin.s[i]!).toBeLessThanOrEqual(thin.s[i - 1]!);
      const US = mat(r, k, thin.U.data.map((v, idx) => v * thin.s[idx % k]!));
      expect(maxDiff(L.gemm(US, thin.V, { transB: true }), a)).toBeLessThan(1e-10);
      const full = L.svd(a, { thin: false });
      expect([full.U.rows, full.U.cols, full.V.rows, full.V.cols]).toEqual([r, r, c, c]);
      const I = (d: number) => mat(d, d, Float64Array.from({ length: d * d }, (_, i) => (i % (d + 1) === 0 ? 1 : 0)));
      expect(maxDiff(L.gemm(full.U, full.U, { transA: true }), I(r))).toBeLessThan(1e-10);
      expect(maxDiff(L.gemm(full.V, full.V, { transA: true }), I(c))).toBeLessThan(1e-10);
    }
  });

  it('solve, lstsq, pinv and qr agree with their definitions', () => {
    const a = randomMat(6, 6, 'solve'), b = randomMat(6, 2, 'rhs');
    expect(maxDiff(L.gemm(a, L.solve(a, b)), b)).toBeLessThan(1e-10);
    expect(() => L.solve(mat(2, 2, Float64Array.of(1, 2, 2, 4)), mat(2, 1, Float64Array.of(1, 1)))).toThrow(/singular/);
    const tall = randomMat(9, 3, 'tall'), y = randomMat(9, 1, 'y');
    const x = L.lstsq(tall, y);
    // normal equations: Aᵀ(Ax − y) = 0
    const r = L.gemm(tall, x);
    for (let i = 0; i < 9; i++) r.data[i]! -= y.data[i]!;
    expect(Math.max(...Array.from(L.gemm(tall, r, { transA: true }).data, Math.abs))).toBeLessThan(1e-10);
    expect(maxDiff(L.gemm(L.gemm(tall, L.pinv(tall)), tall), tall)).toBeLessThan(1e-10);
    const { Q, R } = L.qr(tall);
    expect([Q.rows, Q.cols, R.rows, R.cols]).toEqual([9, 3, 3, 3]);
    expect(maxDiff(L.gemm(Q, R), tall)).toBeLessThan(1e-10);
    for (let i = 1; i < 3; i++) for (let j = 0; j < i; j++) expect(at(R, i, j)).toBe(0);
  });
});
