/**
 * One draw of the teacher for the trained-network experiments: X (n×d), y = Xθ* + ε, and a Monte
 * Carlo test set with noiseless targets xᵀθ* (assumed: the risk of a nonlinear network has no
 * closed form in x, so it is averaged over nTest fresh Gaussian inputs, the same for every step).
 */
import type { Linalg } from '../../engine/compute/linalg.ts';
import type { Mat } from '../../engine/compute/matrix.ts';
import type { RandomSource } from '../../engine/random.ts';
import { gaussianMat, matVec, teacherVector } from './draws.ts';

export interface RegressionData {
  readonly X: Mat;
  /** noisy labels */
  readonly y: Float64Array;
  /** noiseless labels Xθ* */
  readonly y0: Float64Array;
  readonly theta: Float64Array;
  readonly Xtest: Mat;
  readonly gTest: Float64Array;
}

export function drawRegression(o: { n: number; d: number; r: number; sigma: number; nTest: number }, random: RandomSource): RegressionData {
  const X = gaussianMat(o.n, o.d, 1, random.fork('X'));
  const theta = teacherVector(o.d, o.r, random.fork('theta'));
  const y0 = matVec(X, theta);
  const noise = random.fork('noise').fillNormal(new Float64Array(o.n), 0, o.sigma);
  const Xtest = gaussianMat(o.nTest, o.d, 1, random.fork('test'));
  return { X, y: y0.map((v, i) => v + noise[i]!), y0, theta, Xtest, gTest: matVec(Xtest, theta) };
}

/** mean over the test set of (g − f)² */
export function testRisk(g: Float64Array, f: Float64Array): number {
  let s = 0;
  for (let k = 0; k < g.length; k++) s += (g[k]! - f[k]!) ** 2;
  return s / g.length;
}

/** largest eigenvalue of XᵀX/n, from the Gram matrix on the smaller side */
export function topEigenvalue(X: Mat, linalg: Linalg): number {
  const G = X.rows <= X.cols ? linalg.gemm(X, X, { transB: true }) : linalg.gemm(X, X, { transA: true });
  const { values } = linalg.eighSym(G);
  return values[values.length - 1]! / X.rows;
}

/** ~`points` integers log-spaced over [1, steps], with 0 first and `steps` last */
export function recordSteps(steps: number, points: number): number[] {
  const out = new Set<number>([0]);
  for (let i = 0; i < points; i++) out.add(Math.round(Math.exp((Math.log(steps) * i) / Math.max(1, points - 1))));
  out.add(steps);
  return [...out].filter((s) => s <= steps).sort((a, b) => a - b);
}
