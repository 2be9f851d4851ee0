/**
 * One draw of the two-layer linear network f(x) = xᵀWa, bias and variance exact in x and ε:
 * for x ~ N(0, I) the risk of a linear predictor β is ‖β − θ*‖², and β is linear in y.
 *  - second layer from zero: β = W pinv(XW) y  (gradient flow on a from a = 0 stops at the min-norm â)
 *  - first layer, a fixed with ‖a‖ = 1: β = β₀ + pinv(X)(y − Xβ₀), β₀ = W₀a — the limit of gradient
 *    flow on W, which moves only along v aᵀ (see linear-network-theory.ts; a test checks it against GD).
 */
import type { Linalg } from '../../engine/compute/linalg.ts';
import type { RandomSource } from '../../engine/random.ts';
import { gaussianMat, matVec, squaredNorm, teacherVector } from './draws.ts';
import type { RiskParts } from './ridge-risk.ts';

export type LinearTraining = 'second-layer' | 'first-layer';

export interface LinearDrawOptions {
  readonly n: number;
  readonly d: number;
  readonly h: number;
  readonly r: number;
  readonly sigma: number;
  readonly training: LinearTraining;
}

/** ‖θ* − (βfit of noiseless labels)‖² and σ²‖L‖²_F for a fit β = β₀ + L(y − Xβ₀). */
function parts(theta: Float64Array, betaClean: Float64Array, L: Float64Array, sigma: number): RiskParts {
  const diff = betaClean.map((b, i) => b - theta[i]!);
  const bias = squaredNorm(diff);
  const variance = sigma * sigma * squaredNorm(L);
  return { bias, variance, risk: bias + variance };
}

export function linearNetworkDraw(o: LinearDrawOptions, random: RandomSource, linalg: Linalg): RiskParts {
  const X = gaussianMat(o.n, o.d, 1, random.fork('X'));
  const W = gaussianMat(o.d, o.h, 1 / Math.sqrt(o.d), random.fork('W'));
  const theta = teacherVector(o.d, o.r, random.fork('theta'));
  const y0 = matVec(X, theta);
  if (o.training === 'second-layer') {
    const L = linalg.gemm(W, linalg.pinv(linalg.gemm(X, W))); // d×n: β = L y
    return parts(theta, matVec(L, y0), L.data, o.sigma);
  }
  const beta0 = matVec(W, randomSigns(o.h, random.fork('a')));
  const Xp = linalg.pinv(X); // d×n
  const fitted0 = matVec(X, beta0);
  const betaClean = matVec(Xp, y0.map((v, i) => v - fitted0[i]!)).map((v, i) => v + beta0[i]!);
  return parts(theta, betaClean, Xp.data, o.sigma);
}

/** a_i = ±1/√h with independent fair signs, so ‖a‖ = 1 */
export function randomSigns(h: number, random: RandomSource): Float64Array {
  const a = new Float64Array(h);
  for (let i = 0; i < h; i++) a[i] = (random.uniform() < 0.5 ? -1 : 1) / Math.sqrt(h);
  return a;
}
