/**
 * An extension of the generic Linalg interface (engine/compute/linalg.ts), for the two-layer
 * study: full-batch float64 gradient descent on the first layer W (d×h) of f(x) = Σ_i a_i φ(w_iᵀx)
 * with the second layer a fixed, for L = ½n⁻¹Σ(y − f)², many steps per call. Per step:
 *   Z = XW, e = φ(Z)a − y, W ← W − η Xᵀ[(e aᵀ) ∘ φ′(Z)]/n.
 * A backend that has the kernel (the native addon) runs a whole stretch in C on OpenBLAS, inputs
 * validated once per call; every other backend runs the JS reference on its own gemm.
 */
import type { Linalg } from '../../engine/compute/linalg.ts';
import { mat, type Mat } from '../../engine/compute/matrix.ts';

/** the activations a native kernel may compute in place of the JS `evaluate` of the same name */
export type NativeFirstLayerActivation = 'sigmoid' | 'tanh' | 'identity';

export interface FirstLayerActivation {
  readonly name: string;
  /** φ and φ′ of every entry of z at once */
  readonly evaluate: (z: Float64Array, phiOut: Float64Array, dphiOut: Float64Array) => void;
}

export interface FirstLayerGdOptions {
  readonly eta: number;
  readonly steps: number;
  /**
   * φ: a native kernel computes the activation of this `name` itself (sigmoid and identity bit
   * for bit as the JS functions of nodes/two-layer/activations.ts, tanh through libm); any
   * other name runs the JS reference with this `evaluate`
   */
  readonly activation: FirstLayerActivation;
}

/** W updated in place; returns the training loss ½n⁻¹Σ(y − f)² before the last step (NaN for 0 steps) */
export type FirstLayerGdSteps = (X: Mat, y: Float64Array, a: Float64Array, W: Mat, o: FirstLayerGdOptions) => number;

/** A Linalg backend that runs the kernel itself (the native addon: a whole stretch in C). */
export interface FirstLayerGdKernel {
  firstLayerGdSteps(X: Mat, y: Float64Array, a: Float64Array, W: Mat, eta: number, steps: number, activation: NativeFirstLayerActivation): number;
}

const NATIVE_ACTIVATIONS: ReadonlySet<string> = new Set<NativeFirstLayerActivation>(['sigmoid', 'tanh', 'identity']);

/**
 * The kernel for a backend: its own when it has one and computes this activation, else the JS
 * reference on the backend's gemm. The backend's identity is in the key, so a cached result
 * always names the kernel that made it.
 */
export function firstLayerGdKernel(linalg: Linalg): FirstLayerGdSteps {
  const own = (linalg as Linalg & Partial<FirstLayerGdKernel>).firstLayerGdSteps;
  return (X, y, a, W, o) => {
    if (!own || !NATIVE_ACTIVATIONS.has(o.activation.name)) return firstLayerGdStepsJs(linalg, X, y, a, W, o);
    checkFirstLayerGd(X, y, a, W, o);
    return own.call(linalg, X, y, a, W, o.eta, o.steps, o.activation.name as NativeFirstLayerActivation);
  };
}

/** shape and option checks shared by both paths, naming the argument; the native entry repeats them with finiteness */
export function checkFirstLayerGd(X: Mat, y: Float64Array, a: Float64Array, W: Mat, o: FirstLayerGdOptions): void {
  if (W.rows !== X.cols) throw new RangeError(`firstLayerGdSteps: X is ${X.rows}×${X.cols}, so W needs ${X.cols} rows, got ${W.rows}×${W.cols}`);
  if (y.length !== X.rows) throw new RangeError(`firstLayerGdSteps: y has length ${y.length}, expected n = ${X.rows}`);
  if (a.length !== W.cols) throw new RangeError(`firstLayerGdSteps: a has length ${a.length}, expected h = ${W.cols}`);
  if (!Number.isInteger(o.steps) || o.steps < 0) throw new RangeError(`firstLayerGdSteps: steps must be an integer ≥ 0, got ${o.steps}`);
  if (!Number.isFinite(o.eta)) throw new RangeError(`firstLayerGdSteps: η must be finite, got ${o.eta}`);
}

/** The reference: per step two gemms on the backend and one JS pass over the n×h pre-activations. */
export function firstLayerGdStepsJs(linalg: Linalg, X: Mat, y: Float64Array, a: Float64Array, W: Mat, o: FirstLayerGdOptions): number {
  checkFirstLayerGd(X, y, a, W, o);
  const n = X.rows, h = W.cols;
  const phi = new Float64Array(n * h), dphi = new Float64Array(n * h);
  let loss = Number.NaN;
  for (let t = 0; t < o.steps; t++) {
    o.activation.evaluate(linalg.gemm(X, W).data, phi, dphi);
    loss = 0;
    for (let k = 0; k < n; k++) {
      const off = k * h;
      let f = 0;
      for (let i = 0; i < h; i++) f += a[i]! * phi[off + i]!;
      const e = f - y[k]!;
      loss += e * e;
      // G = (e aᵀ) ∘ φ′(Z)/n, written over φ′ in place
      const scale = e / n;
      for (let i = 0; i < h; i++) dphi[off + i] = scale * a[i]! * dphi[off + i]!;
    }
    loss /= 2 * n;
    const grad = linalg.gemm(X, mat(n, h, dphi), { transA: true }).data;
    const w = W.data;
    for (let j = 0; j < w.length; j++) w[j]! -= o.eta * grad[j]!;
  }
  return loss;
}
