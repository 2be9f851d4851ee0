/**
 * First layer trained from vanishing initialisation, w_i ~ N(0, I/(d·h^{1+ε})), sigmoid, doubled
 * signs: the risk trajectory over GD steps. Near the origin φ(u) ≈ φ(0) + φ′(0)u, so with Σa_i = 0
 * the network is the linear model β = φ′(0)Σa_iw_i, trained by GD with step ηφ′(0)²; the step is
 * η = c/(φ′(0)²·λ_max(XᵀX/n)) (assumed, c = 1 by default), so the linear phase is stable and fast.
 * γ₁ > 1: the linear phase already interpolates (min-norm least squares in x). γ₁ < 1: it stops on
 * the least-squares plateau until the weights grow enough for the nonlinearity to fit the noise.
 */
import type { Linalg } from '../../engine/compute/linalg.ts';
import { mat, type Mat } from '../../engine/compute/matrix.ts';
import type { RandomSource } from '../../engine/random.ts';
import { matVec, squaredNorm } from './draws.ts';
import { activation, type ActivationName } from './activations.ts';
import { doubledNetwork, gradientSteps, predict, trainingLoss } from './network.ts';
import { drawRegression, recordSteps, testRisk, topEigenvalue } from './regression-data.ts';

export interface TrajectoryOptions {
  readonly n: number;
  readonly d: number;
  readonly h: number;
  readonly r: number;
  readonly sigma: number;
  readonly nTest: number;
  readonly steps: number;
  readonly recordPoints: number;
  readonly epsilon: number;
  readonly stepFactor: number;
  readonly activation: ActivationName;
}

export interface Trajectory {
  readonly step: number[];
  readonly trainLoss: number[];
  readonly risk: number[];
  /** the least-squares training loss in x, ½n⁻¹‖y − Xθ̂‖² (0 when d ≥ n): the plateau's level */
  readonly leastSquaresLoss: number;
  /** ‖θ̂ − θ*‖² of min-norm least squares in x on this draw: where the linear phase heads */
  readonly leastSquaresRisk: number;
  readonly eta: number;
}

export function vanishingInitTrajectory(o: TrajectoryOptions, random: RandomSource, linalg: Linalg, onRecord?: (fraction: number) => void): Trajectory {
  const act = activation(o.activation);
  const data = drawRegression(o, random.fork('data'));
  const net = doubledNetwork(o.d, o.h, 1 / Math.sqrt(o.d * o.h ** (1 + o.epsilon)), random.fork('init'));
  const slope = act.dphi(0);
  const eta = o.stepFactor / (slope * slope * topEigenvalue(data.X, linalg));
  const ls = leastSquares(data.X, data.y, data.theta, linalg);
  const out: Trajectory = { step: [], trainLoss: [], risk: [], leastSquaresLoss: ls.loss, leastSquaresRisk: ls.risk, eta };
  let done = 0;
  for (const s of recordSteps(o.steps, o.recordPoints)) {
    gradientSteps(net, data.X, data.y, { eta, steps: s - done, act }, linalg);
    done = s;
    out.step.push(s);
    out.trainLoss.push(trainingLoss(net, data.X, data.y, act, linalg));
    out.risk.push(testRisk(data.gTest, predict(net, data.Xtest, act, linalg)));
    onRecord?.(s / o.steps);
  }
  return out;
}

function leastSquares(X: Mat, y: Float64Array, theta: Float64Array, linalg: Linalg): { loss: number; risk: number } {
  const beta = linalg.lstsq(X, mat(y.length, 1, y)).data;
  const fit = matVec(X, beta);
  let loss = 0;
  for (let k = 0; k < X.rows; k++) loss += (y[k]! - fit[k]!) ** 2;
  return { loss: loss / (2 * X.rows), risk: squaredNorm(beta.map((b, j) => b - theta[j]!)) };
}

/** assumed: the linear phase has ended once the training loss falls 5 % below the least-squares loss */
export const PLATEAU_LOSS_DROP = 0.05;

/**
 * The plateau: the risk at the last record whose training loss is still ≥ (1 − 5 %) of the
 * least-squares loss, i.e. the end of the linear phase, before the nonlinearity fits the noise.
 * When d ≥ n the least-squares loss is 0 and the linear phase ends converged: the last record.
 */
export function plateauRisk(t: Trajectory): { step: number; risk: number } {
  let last = 0;
  for (let i = 0; i < t.step.length; i++) if (t.trainLoss[i]! >= (1 - PLATEAU_LOSS_DROP) * t.leastSquaresLoss) last = i;
  return { step: t.step[last]!, risk: t.risk[last]! };
}
