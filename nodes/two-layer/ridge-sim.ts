/**
 * One draw of isotropic ridge regression, θ̂ = (XᵀX/n + μI)⁻¹Xᵀy/n, bias and variance exact in x
 * and ε through the eigendecomposition XᵀX/n = V diag(l) Vᵀ:
 *   bias = μ² Σ_j (v_jᵀθ*)²/(l_j + μ)²,  variance = (σ²/n) Σ_j l_j/(l_j + μ)².
 */
import type { Linalg } from '../../engine/compute/linalg.ts';
import type { RandomSource } from '../../engine/random.ts';
import { gaussianMat, teacherVector } from './draws.ts';
import type { RiskParts } from './ridge-risk.ts';

export function ridgeDraw(o: { n: number; d: number; mu: number; r: number; sigma: number }, random: RandomSource, linalg: Linalg): RiskParts {
  const X = gaussianMat(o.n, o.d, 1 / Math.sqrt(o.n), random.fork('X')); // so XᵀX is already XᵀX/n
  const theta = teacherVector(o.d, o.r, random.fork('theta'));
  const { values, vectors } = linalg.eighSym(linalg.gemm(X, X, { transA: true }));
  let bias = 0, variance = 0;
  for (let j = 0; j < o.d; j++) {
    const l = Math.max(0, values[j]!);
    let proj = 0;
    for (let i = 0; i < o.d; i++) proj += vectors.data[i * o.d + j]! * theta[i]!;
    bias += (o.mu * o.mu * proj * proj) / (l + o.mu) ** 2;
    variance += l / (l + o.mu) ** 2;
  }
  variance *= (o.sigma * o.sigma) / o.n;
  return { bias, variance, risk: bias + variance };
}
