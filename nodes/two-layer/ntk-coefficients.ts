/**
 * The NTK regime (non-vanishing initialisation w_i ~ N(0, s²I/d)): the kernel at initialisation is
 * K ≈ b₀XXᵀ + b₁I with b₀ = (E φ′(sz))² and b₁ ≈ d·Var φ′(sz), z ~ N(0, 1). Kernel regression
 * with it is ridge regression with λ = b₁/b₀ on the unnormalised XᵀX, i.e. μ = γ₁·Var φ′/(E φ′)²
 * on XᵀX/n — the penalty `ridgeRisk` takes.
 */
import type { Linalg } from '../../engine/compute/linalg.ts';
import { activation, type ActivationName } from './activations.ts';
import { gaussianExpectation } from './gauss-hermite.ts';
import { ridgeRisk, type RidgeRisk } from './ridge-risk.ts';
import { checkGamma } from './stieltjes.ts';

export interface NtkCoefficients {
  /** E φ′(sz) */
  readonly meanDphi: number;
  /** Var φ′(sz) */
  readonly varDphi: number;
  /** b₀ = (E φ′)² */
  readonly b0: number;
  /** b₁/d = Var φ′ (multiply by d for b₁) */
  readonly b1PerD: number;
  /** μ = γ₁ Var φ′/(E φ′)² when gamma1 was given */
  readonly mu?: number;
  /** the larger Gauss–Hermite error estimate |Q_N − Q_2N| of E φ′ and E φ′² */
  readonly quadratureError: number;
  /** N of the rule used (the larger of the two) */
  readonly points: number;
}

export function ntkCoefficients(o: { s: number; activation?: ActivationName; gamma1?: number; points?: number; linalg?: Linalg }): NtkCoefficients {
  if (!(o.s > 0) || !Number.isFinite(o.s)) throw new RangeError(`ntkCoefficients: the init scale s must be a finite number > 0, got ${o.s}`);
  const act = activation(o.activation ?? 'sigmoid');
  if (!act.smooth) throw new RangeError(`ntkCoefficients: ${act.name} is not smooth; the NTK expansion needs a smooth φ`);
  const first = gaussianExpectation((z) => act.dphi(o.s * z), o.points, o.linalg);
  const second = gaussianExpectation((z) => act.dphi(o.s * z) ** 2, o.points, o.linalg);
  const meanDphi = first.value;
  const varDphi = Math.max(0, second.value - meanDphi * meanDphi);
  const b0 = meanDphi * meanDphi;
  const base = { meanDphi, varDphi, b0, b1PerD: varDphi, quadratureError: Math.max(first.errorEstimate, second.errorEstimate), points: Math.max(first.points, second.points) };
  if (o.gamma1 === undefined) return base;
  checkGamma(o.gamma1, 'ntkCoefficients');
  return { ...base, mu: (o.gamma1 * varDphi) / b0 };
}

/** The NTK-regime risk: ridge with the equivalent penalty μ(s). */
export function ntkRegimeRisk(o: { s: number; gamma1: number; r: number; sigma: number; activation?: ActivationName }): RidgeRisk & { mu: number } {
  const c = ntkCoefficients({ s: o.s, gamma1: o.gamma1, ...(o.activation ? { activation: o.activation } : {}) });
  const mu = c.mu!;
  return { ...ridgeRisk({ gamma: o.gamma1, mu, r: o.r, sigma: o.sigma }), mu };
}
