/**
 * The modulation matrix F that sets how strongly the student sees each teacher feature: x = Fᵀz,
 * i.e. X = Z F. Kept together with the right singular vectors and singular values of F, because
 * the exact curve needs FᵀF = W diag(s²) Wᵀ and its inverse, which are far more accurate built
 * from the factors than by inverting FᵀF when κ reaches 1e5.
 */
import type { Linalg } from '../../engine/compute/linalg.ts';
import { mat, type Mat } from '../../engine/compute/matrix.ts';
import type { RandomSource } from '../../engine/random.ts';
import { haarOrthogonal } from './haar.ts';
import { scaleColumns } from './dense.ts';

export interface Modulation {
  /** d×d */
  readonly F: Mat;
  /** singular values of F (any order, matched to the columns of rightVectors) */
  readonly singularValues: Float64Array;
  /** W with FᵀF = W diag(s²) Wᵀ (the right singular vectors of F, in columns) */
  readonly rightVectors: Mat;
}

/** Singular values of the bipartite F: p ones and d − p values 1/κ. */
export function bipartiteSpectrum(d: number, p: number, kappa: number): Float64Array {
  checkBipartite(d, p, kappa);
  const s = new Float64Array(d);
  for (let i = 0; i < d; i++) s[i] = i < p ? 1 : 1 / kappa;
  return s;
}

export function checkBipartite(d: number, p: number, kappa: number): void {
  if (!Number.isInteger(d) || d < 2) throw new RangeError(`bipartite F: d must be an integer ≥ 2, got ${d}`);
  if (!Number.isInteger(p) || p <= 0 || p >= d) throw new RangeError(`bipartite F: p must be an integer with 0 < p < d = ${d}, got ${p}`);
  if (!(kappa >= 1) || !Number.isFinite(kappa)) throw new RangeError(`bipartite F: κ must be a finite number ≥ 1, got ${kappa}`);
}

/** F = U diag(spectrum) Vᵀ with U, V independent Haar-random orthogonal matrices. */
export function modulationFromSpectrum(spectrum: ArrayLike<number>, random: RandomSource, linalg: Linalg): Modulation {
  const d = spectrum.length;
  const s = Float64Array.from(spectrum);
  for (const v of s) {
    if (!Number.isFinite(v) || v <= 0) throw new RangeError(`F spectrum: every singular value must be finite and > 0 (F must be invertible), got ${v}`);
  }
  const U = haarOrthogonal(d, random.fork('U'), linalg);
  const V = haarOrthogonal(d, random.fork('V'), linalg);
  const F = linalg.gemm(scaleColumns(U, s), V, { transB: true });
  return { F, singularValues: s, rightVectors: V };
}

export function bipartiteModulation(d: number, p: number, kappa: number, random: RandomSource, linalg: Linalg): Modulation {
  return modulationFromSpectrum(bipartiteSpectrum(d, p, kappa), random, linalg);
}

/** Reject a general F that is not d×d, not finite, or singular to working precision. */
export function modulationFromMatrix(F: Mat, d: number, linalg: Linalg): Modulation {
  if (F.rows !== d || F.cols !== d) throw new RangeError(`general F must be ${d}×${d} (d = ${d}), got ${F.rows}×${F.cols}`);
  for (const v of F.data) if (!Number.isFinite(v)) throw new RangeError('general F has a non-finite entry');
  const { s, V } = linalg.svd(F);
  const smax = s[0]!;
  const smin = s[s.length - 1]!;
  if (!(smin > smax * d * 1e-14)) throw new RangeError(`general F is singular (smallest singular value ${smin.toExponential(3)} vs largest ${smax.toExponential(3)})`);
  return { F: mat(d, d, Float64Array.from(F.data)), singularValues: s, rightVectors: V };
}
