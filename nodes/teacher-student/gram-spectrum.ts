/**
 * Everything about gradient descent on ½‖y − Xŵ‖² + (λ/2)‖ŵ‖² that depends only on X: the
 * eigendecomposition XᵀX = V Λ Vᵀ (done once, reused for every t), the step size and the
 * per-direction contraction. With x_j = η(l_j + λ), one GD step multiplies the error along
 * direction j by (1 − x_j), so after t steps the learned fraction is D_j(t) = 1 − |1 − x_j|^t.
 */
import type { Linalg } from '../../engine/compute/linalg.ts';
import type { Mat } from '../../engine/compute/matrix.ts';
import { columnVector } from './dense.ts';

export interface GramSpectrum {
  readonly d: number;
  /**
   * eigenvalues of XᵀX, ascending; those below the numerical-rank tolerance d·ε·l_max are exactly
   * 0 (they are round-off, and differ between eigensolvers: keeping them would make results depend
   * on the linear-algebra backend when n < d)
   */
  readonly values: Float64Array;
  /** eigenvectors in columns, d×d */
  readonly V: Mat;
  readonly lambda: number;
  readonly eta: number;
  /** η(l_j + λ) per direction, in [0, 2) */
  readonly x: Float64Array;
}

/**
 * η defaults to 1/(l_max + λ). Then x_j = (l_j + λ)/(l_max + λ), computed in that form so the top
 * direction gets x = 1 exactly and its factor |1 − x|^t is exactly 0 for every t > 0 (computing
 * 1 − ηλ − η l_max instead leaves a round-off residue r ≈ 1e-16, and r^t is far from 0 at small
 * fractional t: (1e-16)^0.001 ≈ 0.96). All x_j are clamped to [0, 1] in the default case.
 */
export function gramSpectrum(X: Mat, options: { lambda: number; eta?: number }, linalg: Linalg): GramSpectrum {
  const G = linalg.gemm(X, X, { transA: true });
  return spectrumOfGram(G, options, linalg);
}

export function spectrumOfGram(G: Mat, options: { lambda: number; eta?: number }, linalg: Linalg): GramSpectrum {
  const { lambda } = options;
  if (!(lambda >= 0) || !Number.isFinite(lambda)) throw new RangeError(`λ must be finite and ≥ 0, got ${lambda}`);
  const { values: raw, vectors } = linalg.eighSym(G);
  const d = raw.length;
  const top = Math.max(raw[d - 1]!, 0);
  const tolerance = d * Number.EPSILON * top;
  const values = Float64Array.from(raw, (l) => (l > tolerance ? l : 0));
  const lmax = values[d - 1]!;
  const x = new Float64Array(d);
  let eta: number;
  if (options.eta === undefined) {
    eta = 1 / (lmax + lambda);
    for (let j = 0; j < d; j++) x[j] = Math.min(1, (values[j]! + lambda) / (lmax + lambda));
    x[d - 1] = 1;
  } else {
    eta = options.eta;
    if (!(eta > 0) || !(eta * (lmax + lambda) < 2)) {
      throw new RangeError(`GD step size η = ${eta} diverges: need 0 < η < 2/(l_max + λ) = ${2 / (lmax + lambda)}`);
    }
    for (let j = 0; j < d; j++) x[j] = eta * (values[j]! + lambda);
  }
  return { d, values, V: vectors, lambda, eta, x };
}

/** D_j(t) = 1 − |1 − x_j|^t, via expm1/log1p so that small x_j t keeps its digits. */
export function learnedFraction(x: number, t: number): number {
  if (t === 0 || x === 0) return 0;
  if (x >= 1) return x === 1 ? 1 : 1 - Math.pow(x - 1, t);
  return -Math.expm1(t * Math.log1p(-x));
}

export function learnedFractions(spec: GramSpectrum, t: number, out: Float64Array = new Float64Array(spec.d)): Float64Array {
  for (let j = 0; j < spec.d; j++) out[j] = learnedFraction(spec.x[j]!, t);
  return out;
}

/**
 * D_j(t)/(l_j + λ): the gain that maps (VᵀXᵀy)_j to the GD weights. For a null direction
 * (l_j + λ = 0) the limit is η t.
 */
export function gdGains(spec: GramSpectrum, t: number, out: Float64Array = new Float64Array(spec.d)): Float64Array {
  for (let j = 0; j < spec.d; j++) {
    const c = spec.values[j]! + spec.lambda;
    out[j] = c > 0 ? learnedFraction(spec.x[j]!, t) / c : spec.eta * t;
  }
  return out;
}

/** VᵀXᵀy: the targets in the eigenbasis, computed once per draw of y. */
export function targetsInEigenbasis(spec: GramSpectrum, X: Mat, y: Float64Array, linalg: Linalg): Float64Array {
  const Xty = linalg.gemm(X, columnVector(y), { transA: true });
  return linalg.gemm(spec.V, Xty, { transA: true }).data;
}

/** ŵ = V diag(gain) c */
export function weightsFromGains(spec: GramSpectrum, gains: Float64Array, c: Float64Array, linalg: Linalg): Float64Array {
  const z = new Float64Array(spec.d);
  for (let j = 0; j < spec.d; j++) z[j] = gains[j]! * c[j]!;
  return linalg.gemm(spec.V, columnVector(z)).data;
}

/** Closed-form GD at any (also fractional) t: ŵ(t) = V diag(1 − |1 − ηλ − η l_j|^t) Vᵀ w̄. */
export function closedFormWeights(spec: GramSpectrum, c: Float64Array, t: number, linalg: Linalg): Float64Array {
  return weightsFromGains(spec, gdGains(spec, t), c, linalg);
}

/**
 * Ridge proxy of training time t (Fig. 3 right, as in the authors' code):
 * ŵ = (XᵀX + 2(λ + 1/t) I)⁻¹ Xᵀy, evaluated in the eigenbasis (same algebra as a solve).
 */
export function ridgeProxyGains(spec: GramSpectrum, t: number, out: Float64Array = new Float64Array(spec.d)): Float64Array {
  const ridge = 2 * (spec.lambda + 1 / t);
  for (let j = 0; j < spec.d; j++) out[j] = 1 / (spec.values[j]! + ridge);
  return out;
}

export function ridgeProxyWeights(spec: GramSpectrum, c: Float64Array, t: number, linalg: Linalg): Float64Array {
  return weightsFromGains(spec, ridgeProxyGains(spec, t), c, linalg);
}
