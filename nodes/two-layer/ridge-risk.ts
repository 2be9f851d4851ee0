/**
 * Isotropic ridge regression in the proportional limit (the digest's cross-check formula):
 * x ~ N(0, I_d), y = ⟨x, θ*⟩ + ε, ‖θ*‖ = r, Var ε = σ², θ̂ = (XᵀX/n + μI)⁻¹Xᵀy/n, γ = d/n.
 *   Bias = r²μ²m′(−μ),  Var = σ²γ(m(−μ) − μm′(−μ)),  R = Bias + Var.
 * Written through q = √D − a (see stieltjes.ts): Bias = r²q(q + 2μ)/(4γ√D), Var = σ²q/(√D(q + 2μ)),
 * which is the same algebra with no cancelling differences.
 */
import { checkGamma, mpStieltjes } from './stieltjes.ts';

export interface RiskParts {
  readonly bias: number;
  readonly variance: number;
  readonly risk: number;
}

export interface RidgeRisk extends RiskParts {
  /** m(−μ); Infinity at μ = 0 for γ ≥ 1 (the atom of XᵀX/n at zero) */
  readonly m: number;
  /** m′(−μ) = dm/dz at z = −μ */
  readonly dm: number;
}

function checkNonNegative(value: number, name: string, what: string): void {
  if (!(value >= 0) || !Number.isFinite(value)) throw new RangeError(`${what}: ${name} must be a finite number ≥ 0, got ${value}`);
}

export function ridgeRisk(o: { gamma: number; mu: number; r: number; sigma: number }): RidgeRisk {
  checkGamma(o.gamma, 'ridgeRisk');
  checkNonNegative(o.mu, 'μ', 'ridgeRisk');
  checkNonNegative(o.r, 'r', 'ridgeRisk');
  checkNonNegative(o.sigma, 'σ', 'ridgeRisk');
  if (o.mu === 0) {
    const g = o.gamma;
    const m = g < 1 ? 1 / (1 - g) : Number.POSITIVE_INFINITY;
    const dm = g < 1 ? 1 / (1 - g) ** 3 : Number.POSITIVE_INFINITY;
    return { ...minNormRisk(o), m, dm };
  }
  const { m, dm, q, sqrtD } = mpStieltjes(o.gamma, o.mu);
  const bias = (o.r * o.r * q * (q + 2 * o.mu)) / (4 * o.gamma * sqrtD);
  const variance = (o.sigma * o.sigma * q) / (sqrtD * (q + 2 * o.mu));
  return { bias, variance, risk: bias + variance, m, dm };
}

/**
 * μ = 0, the minimum-norm least-squares interpolant (Hastie et al. 2019):
 * γ < 1: Bias 0, Var σ²γ/(1 − γ);  γ > 1: Bias r²(1 − 1/γ), Var σ²/(γ − 1);  γ = 1: Var = ∞.
 */
export function minNormRisk(o: { gamma: number; r: number; sigma: number }): RiskParts {
  checkGamma(o.gamma, 'minNormRisk');
  checkNonNegative(o.r, 'r', 'minNormRisk');
  checkNonNegative(o.sigma, 'σ', 'minNormRisk');
  const g = o.gamma, s2 = o.sigma * o.sigma;
  if (g === 1) {
    const variance = s2 === 0 ? 0 : Number.POSITIVE_INFINITY;
    return { bias: 0, variance, risk: variance };
  }
  const bias = g < 1 ? 0 : o.r * o.r * (1 - 1 / g);
  const variance = g < 1 ? (s2 * g) / (1 - g) : s2 / (g - 1);
  return { bias, variance, risk: bias + variance };
}
