/**
 * The macroscopic variables of thesis eq. 4.2.7 and the two generalisation-error forms in use:
 * the thesis' ½(1 + σ² − 2R + Q) (default; also what the authors' analytic library computes) and
 * the figure code's ½(1 − 2R + Q), which leaves out the irreducible label noise.
 */
import type { Linalg } from '../../engine/compute/linalg.ts';
import type { Mat } from '../../engine/compute/matrix.ts';
import { columnVector, dot } from './dense.ts';

export type GeneralisationForm = 'thesis' | 'code';

export interface AlignmentNorm {
  /** (Fŵ)ᵀw / d */
  readonly R: number;
  /** ‖Fŵ‖² / d */
  readonly Q: number;
}

export function alignmentAndNorm(F: Mat, wHat: Float64Array, w: Float64Array, linalg: Linalg): AlignmentNorm {
  const Fw = linalg.gemm(F, columnVector(wHat)).data;
  const d = w.length;
  return { R: dot(Fw, w) / d, Q: dot(Fw, Fw) / d };
}

export function generalisationError(R: number, Q: number, sigma: number, form: GeneralisationForm = 'thesis'): number {
  return 0.5 * ((form === 'thesis' ? 1 + sigma * sigma : 1) - 2 * R + Q);
}

/** ½ · mean over the test set of (xᵀŵ − y*)², the empirical counterpart of E_G (code form). */
export function empiricalTestError(Xtest: Mat, ytest: Float64Array, wHat: Float64Array, linalg: Linalg): number {
  const pred = linalg.gemm(Xtest, columnVector(wHat)).data;
  let s = 0;
  for (let i = 0; i < pred.length; i++) {
    const e = pred[i]! - ytest[i]!;
    s += e * e;
  }
  return (0.5 * s) / pred.length;
}
