/**
 * The student f(x) = Σ_i a_i φ(w_iᵀx) with the second layer a fixed, and full-batch float64
 * gradient descent on the first layer W (d×h) for L = ½n⁻¹Σ(y − f)², on the `Linalg` backend:
 * per step Z = XW, e = φ(Z)a − y, W ← W − η Xᵀ[(e aᵀ) ∘ φ′(Z)]/n (compute/extensions/first-layer-gd.ts).
 */
import type { Linalg } from '../../engine/compute/linalg.ts';
import { mat, type Mat } from '../../engine/compute/matrix.ts';
import type { RandomSource } from '../../engine/random.ts';
import { firstLayerGdKernel } from '../../compute/extensions/first-layer-gd.ts';
import type { Activation } from './activations.ts';

export interface Network {
  /** d×h, row-major: column i is w_i */
  readonly W: Mat;
  readonly a: Float64Array;
}

/**
 * w_i ~ N(0, std²I) and balanced second-layer signs by the doubling trick (assumed): h/2 drawn
 * neurons, each twice, with a = +1/√h and −1/√h, so f ≡ 0 at initialisation and Σ a_i = 0.
 */
export function doubledNetwork(d: number, h: number, std: number, random: RandomSource): Network {
  if (h % 2 !== 0) throw new RangeError(`doubledNetwork: the doubling trick needs an even h, got ${h}`);
  const half = h / 2;
  const W = mat(d, h);
  for (let k = 0; k < d; k++) {
    for (let i = 0; i < half; i++) {
      const w = std * random.normal();
      W.data[k * h + i] = w;
      W.data[k * h + half + i] = w;
    }
  }
  const a = Float64Array.from({ length: h }, (_, i) => (i < half ? 1 : -1) / Math.sqrt(h));
  return { W, a };
}

/** f(x_k) for every row of X */
export function predict(net: Network, X: Mat, act: Activation, linalg: Linalg): Float64Array {
  const Z = linalg.gemm(X, net.W);
  const h = Z.cols;
  const f = new Float64Array(Z.rows);
  for (let k = 0; k < Z.rows; k++) {
    let s = 0;
    for (let i = 0; i < h; i++) s += net.a[i]! * act.phi(Z.data[k * h + i]!);
    f[k] = s;
  }
  return f;
}

/**
 * `steps` full-batch GD steps on W in place, on the backend's first-layer kernel (native: the
 * whole stretch in C; else the JS reference); returns the training loss ½n⁻¹Σ(y − f)² before the last step.
 */
export function gradientSteps(net: Network, X: Mat, y: Float64Array, o: { eta: number; steps: number; act: Activation }, linalg: Linalg): number {
  return firstLayerGdKernel(linalg)(X, y, net.a, net.W, { eta: o.eta, steps: o.steps, activation: o.act });
}

export function trainingLoss(net: Network, X: Mat, y: Float64Array, act: Activation, linalg: Linalg): number {
  const f = predict(net, X, act, linalg);
  let s = 0;
  for (let k = 0; k < f.length; k++) s += (f[k]! - y[k]!) ** 2;
  return s / (2 * f.length);
}

export function cloneNetwork(net: Network): Network {
  return { W: mat(net.W.rows, net.W.cols, Float64Array.from(net.W.data)), a: net.a };
}
