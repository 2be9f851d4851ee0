import { mlMatrixLinalg } from '../../compute/linalg-mlmatrix.ts';
import { randomSourceFromSeed } from '../../engine/random.ts';

export const linalg = mlMatrixLinalg;
export const rng = (seed: string) => randomSourceFromSeed(`test/teacher-student:${seed}`);

export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0, den = 0;
  for (let i = 0; i < a.length; i++) {
    num += (a[i]! - b[i]!) ** 2;
    den += b[i]! ** 2;
  }
  return Math.sqrt(num / den);
}

export function mean(xs: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i]!;
  return s / xs.length;
}

/** indices of strict local minima / maxima of a sampled curve */
export function localExtrema(y: ArrayLike<number>): { minima: number[]; maxima: number[] } {
  const minima: number[] = [], maxima: number[] = [];
  for (let i = 1; i < y.length - 1; i++) {
    if (y[i]! < y[i - 1]! && y[i]! <= y[i + 1]!) minima.push(i);
    if (y[i]! > y[i - 1]! && y[i]! >= y[i + 1]!) maxima.push(i);
  }
  return { minima, maxima };
}
