/**
 * The teacher of thesis §4.2.1: z ~ N(0, I/d), w ~ N(0, I) (not renormalised), y = zᵀw + ε with
 * ε ~ N(0, σ²), and a noiseless test set. Each quantity draws from its own named stream, so a
 * change of n never changes w, nor a change of σ the inputs.
 */
import type { Linalg } from '../../engine/compute/linalg.ts';
import { mat, type Mat } from '../../engine/compute/matrix.ts';
import type { RandomSource } from '../../engine/random.ts';
import { columnVector } from './dense.ts';

export interface TeacherDraw {
  /** n×d teacher inputs */
  readonly Z: Mat;
  /** nTest×d */
  readonly Ztest: Mat;
  /** teacher weights, length d */
  readonly w: Float64Array;
  /** noisy training labels, length n */
  readonly y: Float64Array;
  /** noiseless test labels, length nTest */
  readonly ytest: Float64Array;
}

export interface TeacherSize {
  readonly n: number;
  readonly d: number;
  readonly sigma: number;
  readonly nTest?: number;
}

export function drawTeacher(size: TeacherSize, random: RandomSource, linalg: Linalg): TeacherDraw {
  const { n, d, sigma } = size;
  const nTest = size.nTest ?? 1000;
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`teacher: n must be an integer ≥ 1, got ${n}`);
  if (!Number.isInteger(d) || d < 1) throw new RangeError(`teacher: d must be an integer ≥ 1, got ${d}`);
  if (!(sigma >= 0) || !Number.isFinite(sigma)) throw new RangeError(`teacher: σ must be finite and ≥ 0, got ${sigma}`);
  const scale = 1 / Math.sqrt(d);
  const Z = mat(n, d, random.fork('Z').fillNormal(new Float64Array(n * d), 0, scale));
  const Ztest = mat(nTest, d, random.fork('Z_test').fillNormal(new Float64Array(nTest * d), 0, scale));
  const w = random.fork('w').fillNormal(new Float64Array(d));
  const y = labels(Z, w, linalg);
  if (sigma > 0) {
    const eps = random.fork('noise').fillNormal(new Float64Array(n), 0, sigma);
    for (let i = 0; i < n; i++) y[i]! += eps[i]!;
  }
  return { Z, Ztest, w, y, ytest: labels(Ztest, w, linalg) };
}

export function labels(Z: Mat, w: Float64Array, linalg: Linalg): Float64Array {
  return linalg.gemm(Z, columnVector(w)).data;
}

/** Student inputs X = Z F (row form of x = Fᵀz). */
export function studentInputs(Z: Mat, F: Mat, linalg: Linalg): Mat {
  return linalg.gemm(Z, F);
}
