/**
 * Small dense helpers on row-major Float64Arrays that are not linear algebra a backend could
 * speed up (scaling, transposes, norms): kept here so no node builds arrays of arrays.
 */
import { mat, type Mat } from '../../engine/compute/matrix.ts';

export function transpose(a: Mat): Mat {
  const out = new Float64Array(a.rows * a.cols);
  for (let i = 0; i < a.rows; i++) for (let j = 0; j < a.cols; j++) out[j * a.rows + i] = a.data[i * a.cols + j]!;
  return mat(a.cols, a.rows, out);
}

/** diag(s) · A (scales row i by s[i]) */
export function scaleRows(a: Mat, s: ArrayLike<number>): Mat {
  const out = new Float64Array(a.data.length);
  for (let i = 0; i < a.rows; i++) {
    const f = s[i]!;
    for (let j = 0; j < a.cols; j++) out[i * a.cols + j] = f * a.data[i * a.cols + j]!;
  }
  return mat(a.rows, a.cols, out);
}

/** A · diag(s) (scales column j by s[j]) */
export function scaleColumns(a: Mat, s: ArrayLike<number>): Mat {
  const out = new Float64Array(a.data.length);
  for (let i = 0; i < a.rows; i++) for (let j = 0; j < a.cols; j++) out[i * a.cols + j] = a.data[i * a.cols + j]! * s[j]!;
  return mat(a.rows, a.cols, out);
}

export function columnVector(v: Float64Array): Mat {
  return mat(v.length, 1, v);
}

export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/** 10^linspace(from, to, points), the time grids of the figures */
export function logSpace(from: number, to: number, points: number): Float64Array {
  const out = new Float64Array(points);
  for (let i = 0; i < points; i++) out[i] = 10 ** (points === 1 ? from : from + ((to - from) * i) / (points - 1));
  return out;
}

export function linSpace(from: number, to: number, points: number): Float64Array {
  const out = new Float64Array(points);
  for (let i = 0; i < points; i++) out[i] = points === 1 ? from : from + ((to - from) * i) / (points - 1);
  return out;
}
