/** Random draws shared by the simulations, and the mean ± standard error over draws. */
import { mat, type Mat } from '../../engine/compute/matrix.ts';
import type { RandomSource } from '../../engine/random.ts';

export function gaussianMat(rows: number, cols: number, std: number, random: RandomSource): Mat {
  return mat(rows, cols, random.fillNormal(new Float64Array(rows * cols), 0, std));
}

/** θ* uniform on the sphere of radius r (assumed: the poster only fixes ‖θ*‖ = r). */
export function teacherVector(d: number, r: number, random: RandomSource): Float64Array {
  const t = random.fillNormal(new Float64Array(d));
  const norm = Math.hypot(...t);
  for (let i = 0; i < d; i++) t[i] = (t[i]! * r) / norm;
  return t;
}

export function matVec(A: Mat, x: Float64Array): Float64Array {
  const y = new Float64Array(A.rows);
  for (let i = 0; i < A.rows; i++) {
    let s = 0;
    const off = i * A.cols;
    for (let j = 0; j < A.cols; j++) s += A.data[off + j]! * x[j]!;
    y[i] = s;
  }
  return y;
}

export function squaredNorm(x: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]! * x[i]!;
  return s;
}

export interface MeanSem {
  readonly mean: number;
  /** standard error of the mean: sample std / √count (0 for one draw) */
  readonly sem: number;
  readonly count: number;
}

export function meanSem(values: readonly number[]): MeanSem {
  const k = values.length;
  if (k === 0) throw new RangeError('meanSem: no values');
  const mean = values.reduce((s, v) => s + v, 0) / k;
  if (k === 1) return { mean, sem: 0, count: 1 };
  const ss = values.reduce((s, v) => s + (v - mean) ** 2, 0);
  return { mean, sem: Math.sqrt(ss / (k - 1) / k), count: k };
}
