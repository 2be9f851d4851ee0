/**
 * The random-features model (second layer trained from zero, ReLU): â = pinv(Φ)y, Φ = relu(XW),
 * W_ij ~ N(0, 1/d) (assumed). For one draw of (X, W, θ*) the bias and variance are computed as
 * exact expectations over x ~ N(0, I) — the digest assumes Monte Carlo over a test set; both
 * estimate the same quantities, the exact form without test-set noise:
 *   S_ij = E relu(w_iᵀx) relu(w_jᵀx) = ‖w_i‖‖w_j‖(sin θ + (π − θ) cos θ)/(2π)  (arc-cosine kernel, Cho & Saul 2009)
 *   c_i  = E (xᵀθ*) relu(w_iᵀx) = w_iᵀθ* / 2                                  (Stein's lemma)
 *   bias = E(xᵀθ* − φᵀâ₀)² = r² − 2cᵀâ₀ + â₀ᵀSâ₀,  â₀ = pinv(Φ)Xθ*
 *   variance = σ² E‖pinv(Φ)ᵀφ(Wᵀx)‖² = σ² tr(pinv(Φ)ᵀ S pinv(Φ))
 */
import type { Linalg } from '../../engine/compute/linalg.ts';
import { mlMatrixLinalg } from '../../compute/linalg-mlmatrix.ts';
import { mat, type Mat } from '../../engine/compute/matrix.ts';
import { randomSourceFromSeed, type RandomSource } from '../../engine/random.ts';
import { gaussianMat, matVec, meanSem, teacherVector } from './draws.ts';
import type { RiskParts } from './ridge-risk.ts';

export interface RandomFeaturesDrawOptions {
  readonly n: number;
  readonly d: number;
  readonly h: number;
  readonly r: number;
  readonly sigma: number;
}

/** E relu(w_iᵀx) relu(w_jᵀx) for x ~ N(0, I), every pair of columns of W (h×h). */
export function reluSecondMoments(W: Mat, linalg: Linalg): Mat {
  const G = linalg.gemm(W, W, { transA: true });
  const h = G.rows;
  const norms = Float64Array.from({ length: h }, (_, i) => Math.sqrt(G.data[i * h + i]!));
  const S = mat(h, h);
  for (let i = 0; i < h; i++) {
    for (let j = i; j < h; j++) {
      const nn = norms[i]! * norms[j]!;
      const cos = Math.min(1, Math.max(-1, G.data[i * h + j]! / nn));
      const theta = Math.acos(cos);
      const v = (nn * (Math.sqrt(1 - cos * cos) + (Math.PI - theta) * cos)) / (2 * Math.PI);
      S.data[i * h + j] = v;
      S.data[j * h + i] = v;
    }
  }
  return S;
}

function relu(M: Mat): Mat {
  return mat(M.rows, M.cols, M.data.map((v) => (v > 0 ? v : 0)));
}

export interface RandomFeaturesFit {
  readonly W: Mat;
  readonly theta: Float64Array;
  /** pinv(relu(XW)), h×n */
  readonly P: Mat;
  /** â₀ = pinv(Φ)Xθ*, the coefficients fitted to the noiseless labels */
  readonly a0: Float64Array;
}

/** One draw of (X, W, θ*) and the min-norm fit: everything the risk needs. */
export function randomFeaturesFit(o: RandomFeaturesDrawOptions, random: RandomSource, linalg: Linalg): RandomFeaturesFit {
  const X = gaussianMat(o.n, o.d, 1, random.fork('X'));
  const W = gaussianMat(o.d, o.h, 1 / Math.sqrt(o.d), random.fork('W'));
  const theta = teacherVector(o.d, o.r, random.fork('theta'));
  const P = linalg.pinv(relu(linalg.gemm(X, W))); // h×n
  return { W, theta, P, a0: matVec(P, matVec(X, theta)) };
}

/** bias and variance of a fit, exact in x (see the top of the file) */
export function randomFeaturesParts(fit: RandomFeaturesFit, r: number, sigma: number, linalg: Linalg): RiskParts {
  const { W, theta, P, a0 } = fit;
  const d = W.rows, h = W.cols;
  const S = reluSecondMoments(W, linalg);
  let ca = 0, aSa = 0;
  const Sa = matVec(S, a0);
  for (let i = 0; i < h; i++) {
    let c = 0; // (Wᵀθ*)_i / 2
    for (let k = 0; k < d; k++) c += W.data[k * h + i]! * theta[k]!;
    ca += (c / 2) * a0[i]!;
    aSa += a0[i]! * Sa[i]!;
  }
  const bias = Math.max(0, r * r - 2 * ca + aSa);
  const SP = linalg.gemm(S, P);
  let trace = 0;
  for (let k = 0; k < SP.data.length; k++) trace += SP.data[k]! * P.data[k]!;
  const variance = sigma * sigma * trace;
  return { bias, variance, risk: bias + variance };
}

export function randomFeaturesDraw(o: RandomFeaturesDrawOptions, random: RandomSource, linalg: Linalg): RiskParts {
  return randomFeaturesParts(randomFeaturesFit(o, random, linalg), o.r, o.sigma, linalg);
}

export interface RandomFeaturesRiskOptions extends RandomFeaturesDrawOptions {
  readonly draws: number;
  readonly seed: number;
  /** float64 backend; default the pure-JS ml-matrix one (pass `(await selectLinalg()).impl` for native) */
  readonly linalg?: Linalg;
}

export interface RandomFeaturesRisk extends RiskParts {
  readonly biasSem: number;
  readonly varianceSem: number;
  readonly riskSem: number;
  readonly draws: number;
}

/** Mean bias, variance and risk over `draws` independent draws of (X, W, θ*), with standard errors. */
export function randomFeaturesRisk(o: RandomFeaturesRiskOptions): RandomFeaturesRisk {
  checkSizes(o);
  const linalg = o.linalg ?? mlMatrixLinalg;
  const random = randomSourceFromSeed(`two-layer/random-features/${o.seed}`);
  const out = Array.from({ length: o.draws }, (_, k) => randomFeaturesDraw(o, random.fork(`draw-${k}`), linalg));
  const bias = meanSem(out.map((p) => p.bias)), variance = meanSem(out.map((p) => p.variance)), risk = meanSem(out.map((p) => p.risk));
  return { bias: bias.mean, variance: variance.mean, risk: risk.mean, biasSem: bias.sem, varianceSem: variance.sem, riskSem: risk.sem, draws: o.draws };
}

function checkSizes(o: RandomFeaturesRiskOptions): void {
  for (const k of ['n', 'd', 'h', 'draws'] as const) {
    if (!Number.isInteger(o[k]) || o[k] < 1) throw new RangeError(`randomFeaturesRisk: ${k} must be an integer ≥ 1, got ${o[k]}`);
  }
  if (!Number.isInteger(o.seed) || o.seed < 0) throw new RangeError(`randomFeaturesRisk: seed must be an integer ≥ 0, got ${o.seed}`);
  if (!(o.r >= 0) || !(o.sigma >= 0)) throw new RangeError(`randomFeaturesRisk: r and σ must be ≥ 0, got r = ${o.r}, σ = ${o.sigma}`);
}
