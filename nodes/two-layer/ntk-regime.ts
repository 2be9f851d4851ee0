/**
 * First layer trained from non-vanishing initialisation w_i ~ N(0, s²I/d) (the NTK regime), sigmoid,
 * doubled signs (f ≡ 0 at init). Per draw two runs from the same initialisation, on the noiseless
 * labels Xθ* and on the noisy ones; on the Monte Carlo test set
 *   bias = mean (xᵀθ* − f_clean)²,  variance = mean (f_noisy − f_clean)²,  risk = mean (xᵀθ* − f_noisy)².
 * For the linearised model f is linear in y and these are exactly its bias and variance.
 * Step η = n/λ_max(K₀) (K₀ the empirical NTK at init: the top function-space mode moves at rate 1)
 * and ⌈stepsPerCondition·λ_max/λ_min⌉ steps (capped), so the slowest mode is converged to e^{−c}.
 */
import type { Linalg } from '../../engine/compute/linalg.ts';
import type { RandomSource } from '../../engine/random.ts';
import { activation, type ActivationName } from './activations.ts';
import { empiricalNtk } from './empirical-ntk.ts';
import { cloneNetwork, doubledNetwork, gradientSteps, predict, trainingLoss } from './network.ts';
import type { RiskParts } from './ridge-risk.ts';
import { drawRegression, testRisk } from './regression-data.ts';

export interface NtkRunOptions {
  readonly n: number;
  readonly d: number;
  readonly h: number;
  readonly r: number;
  readonly sigma: number;
  readonly s: number;
  readonly nTest: number;
  readonly stepsPerCondition: number;
  readonly maxSteps: number;
  readonly activation: ActivationName;
}

export interface NtkRun extends RiskParts {
  readonly steps: number;
  readonly eta: number;
  /** final training losses of the two runs (≈ 0 when converged) */
  readonly trainLossClean: number;
  readonly trainLossNoisy: number;
  /** relative change ‖W_T − W_0‖_F/‖W_0‖_F of the noisy run: small in the lazy regime */
  readonly relativeMove: number;
}

export function ntkRegimeRun(o: NtkRunOptions, random: RandomSource, linalg: Linalg): NtkRun {
  const act = activation(o.activation);
  const data = drawRegression(o, random.fork('data'));
  const init = doubledNetwork(o.d, o.h, o.s / Math.sqrt(o.d), random.fork('init'));
  const { values } = linalg.eighSym(empiricalNtk(init, data.X, act, linalg));
  const lmax = values[values.length - 1]!, lmin = Math.max(values[0]!, lmax * 1e-12);
  const eta = o.n / lmax;
  const steps = Math.min(o.maxSteps, Math.ceil((o.stepsPerCondition * lmax) / lmin));
  const clean = cloneNetwork(init), noisy = cloneNetwork(init);
  gradientSteps(clean, data.X, data.y0, { eta, steps, act }, linalg);
  gradientSteps(noisy, data.X, data.y, { eta, steps, act }, linalg);
  const fClean = predict(clean, data.Xtest, act, linalg), fNoisy = predict(noisy, data.Xtest, act, linalg);
  let move = 0, norm = 0;
  for (let j = 0; j < init.W.data.length; j++) {
    move += (noisy.W.data[j]! - init.W.data[j]!) ** 2;
    norm += init.W.data[j]! ** 2;
  }
  return {
    bias: testRisk(data.gTest, fClean),
    variance: testRisk(fNoisy, fClean),
    risk: testRisk(data.gTest, fNoisy),
    steps,
    eta,
    trainLossClean: trainingLoss(clean, data.X, data.y0, act, linalg),
    trainLossNoisy: trainingLoss(noisy, data.X, data.y, act, linalg),
    relativeMove: Math.sqrt(move / norm),
  };
}
