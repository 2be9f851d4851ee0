/**
 * The closed-form limits the poster states for the random-features variance and for first-layer
 * training from vanishing initialisation (digest, experiments 2 and 3).
 */
import { checkGamma } from './stieltjes.ts';

function checkSigma(sigma: number, what: string): void {
  if (!(sigma >= 0) || !Number.isFinite(sigma)) throw new RangeError(`${what}: σ must be a finite number ≥ 0, got ${sigma}`);
}

/** Random-features variance for γ₂ = h/n < 1 in the proportional limit: σ²γ₂/(1 − γ₂). */
export function randomFeaturesVarianceLimit(o: { gamma2: number; sigma: number }): number {
  checkGamma(o.gamma2, 'randomFeaturesVarianceLimit');
  checkSigma(o.sigma, 'randomFeaturesVarianceLimit');
  if (o.gamma2 >= 1) throw new RangeError(`randomFeaturesVarianceLimit: holds for γ₂ < 1 only, got γ₂ = ${o.gamma2}`);
  return (o.sigma * o.sigma * o.gamma2) / (1 - o.gamma2);
}

/**
 * Its finite-n form σ²h/(n − h − 1): exact for Gaussian features, E tr(Σ(ΦᵀΦ)⁻¹) = h/(n − h − 1)
 * (inverse-Wishart mean); for ReLU features an approximation (the digest: "fits better" at finite n).
 */
export function randomFeaturesVarianceFiniteN(o: { n: number; h: number; sigma: number }): number {
  checkSigma(o.sigma, 'randomFeaturesVarianceFiniteN');
  if (!Number.isInteger(o.n) || !Number.isInteger(o.h) || o.h < 1 || o.n - o.h - 1 <= 0) {
    throw new RangeError(`randomFeaturesVarianceFiniteN: needs integers 1 ≤ h < n − 1, got n = ${o.n}, h = ${o.h}`);
  }
  return (o.sigma * o.sigma * o.h) / (o.n - o.h - 1);
}

export interface VanishingInitRisk {
  /** which regime the value describes */
  readonly regime: 'converged' | 'plateau';
  readonly risk: number;
}

/**
 * First layer trained from vanishing initialisation behaves as a two-layer linear network whose
 * limit is min-norm least squares in x. γ₁ > 1: the converged risk r²(1 − 1/γ₁) + σ²/(γ₁ − 1),
 * independent of γ₂. γ₁ < 1: σ²γ₁/(1 − γ₁) is the plateau before the network interpolates
 * (trained to convergence at finite h it ends higher; there is no closed form for that).
 */
export function vanishingInitRisk(o: { gamma1: number; r: number; sigma: number }): VanishingInitRisk {
  checkGamma(o.gamma1, 'vanishingInitRisk');
  checkSigma(o.sigma, 'vanishingInitRisk');
  if (!(o.r >= 0) || !Number.isFinite(o.r)) throw new RangeError(`vanishingInitRisk: r must be a finite number ≥ 0, got ${o.r}`);
  const g = o.gamma1, s2 = o.sigma * o.sigma;
  if (g === 1) throw new RangeError('vanishingInitRisk: γ₁ = 1 is the interpolation threshold (the risk diverges)');
  if (g > 1) return { regime: 'converged', risk: o.r * o.r * (1 - 1 / g) + s2 / (g - 1) };
  return { regime: 'plateau', risk: (s2 * g) / (1 - g) };
}
