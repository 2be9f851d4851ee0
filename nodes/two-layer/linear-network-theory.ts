/**
 * Theory for the two-layer linear network f(x) = xᵀWa (W d×h, W_ij ~ N(0, 1/d), assumed), our
 * derivation — the poster plots these curves but prints no formula.
 *
 * Second layer trained from zero: â = pinv(XW)y, min-norm least squares on the features z = Wᵀx.
 * Split xᵀθ* = zᵀβ + e with e ⟂ z; e is Gaussian and independent of z, so it acts as extra label
 * noise of variance τ² = ‖(I − Π_W)θ*‖² → r²(1 − p/d), p = min(h, d). The fit is min-norm
 * regression on p effective features (z when h ≤ d; DUᵀx when h > d), with covariance whose
 * spectrum is Marchenko–Pastur of ratio λ = p/max(h, d) (scale is irrelevant) and γ = p/n.
 *  - γ < 1: unbiased least squares, V = γ/(1 − γ) (finite n: p/(n − p − 1), inverse-Wishart mean).
 *  - γ > 1: Hastie et al. 2019 (Thm 3, anisotropic features): c₀ solves 1 − 1/γ = ∫ dH/(1 + c₀γs);
 *    with u = 1/(c₀γ) the MP equation gives u = (γ − 1)(1 − λ/γ) in closed form. Then with
 *    m = m_λ(−u), m′ = m′_λ(−u):  V = (1 − 2um + u²m′)/(u(m − um′)),
 *    B = (1 + V)·(r²p/d)·u²m′  (the signal seen by the features, spread evenly over them).
 *  Bias = τ² + B + τ²V (the misspecification is noise the fit also inflates), Var = σ²V.
 * Isotropic check (λ → 0): V = 1/(γ − 1), B = r²(1 − 1/γ), the min-norm formulas.
 *
 * First layer trained, a fixed (‖a‖ = 1): W(t) − W(0) = v(t)aᵀ, so β = Wa follows gradient flow
 * on least squares in x from β₀ = W₀a (‖β₀‖² → ρ² = 1 for W₀_ij ~ N(0, 1/d)) and converges to
 * β₀ + X⁺(y − Xβ₀): Bias = (r² + ρ²)(1 − 1/γ₁)₊, Var = σ²γ₁/(1 − γ₁) or σ²/(γ₁ − 1). No γ₂.
 */
import type { RiskParts } from './ridge-risk.ts';
import { checkGamma, mpStieltjes } from './stieltjes.ts';

const INF: RiskParts = { bias: Number.POSITIVE_INFINITY, variance: Number.POSITIVE_INFINITY, risk: Number.POSITIVE_INFINITY };

/** V factor and projected bias of min-norm regression on p features with MP(λ) spectrum, γ = p/n > 1. */
function overparameterised(gamma: number, lambda: number, signal: number): { V: number; B: number } {
  const u = (gamma - 1) * (1 - lambda / gamma);
  const { m, dm } = mpStieltjes(lambda, u);
  const V = (1 - 2 * u * m + u * u * dm) / (u * (m - u * dm));
  return { V, B: (1 + V) * signal * u * u * dm };
}

export interface LinearNetworkOptions {
  readonly gamma1: number;
  readonly gamma2: number;
  readonly r: number;
  readonly sigma: number;
  /** sample size for the finite-n variance factor p/(n − p − 1) below the threshold; omitted: the limit */
  readonly n?: number;
}

export function secondLayerLinearRisk(o: LinearNetworkOptions): RiskParts {
  checkGamma(o.gamma1, 'secondLayerLinearRisk');
  checkGamma(o.gamma2, 'secondLayerLinearRisk (γ₂)');
  const pOverN = Math.min(o.gamma1, o.gamma2);
  const r2 = o.r * o.r, s2 = o.sigma * o.sigma;
  const tau2 = r2 * (1 - pOverN / o.gamma1);
  if (pOverN === 1) return INF;
  let V: number, B: number;
  if (pOverN < 1) {
    const p = o.n === undefined ? undefined : Math.round(pOverN * o.n);
    V = o.n !== undefined && p !== undefined && o.n - p - 1 > 0 ? p / (o.n - p - 1) : pOverN / (1 - pOverN);
    B = 0;
  } else {
    ({ V, B } = overparameterised(pOverN, pOverN / Math.max(o.gamma1, o.gamma2), (r2 * pOverN) / o.gamma1));
  }
  const bias = tau2 + B + tau2 * V;
  const variance = s2 * V;
  return { bias, variance, risk: bias + variance };
}

export function firstLayerLinearRisk(o: { gamma1: number; r: number; sigma: number; initNorm2?: number }): RiskParts {
  checkGamma(o.gamma1, 'firstLayerLinearRisk');
  const g = o.gamma1, s2 = o.sigma * o.sigma, rho2 = o.initNorm2 ?? 1;
  if (g === 1) return INF;
  const bias = g < 1 ? 0 : (o.r * o.r + rho2) * (1 - 1 / g);
  const variance = g < 1 ? (s2 * g) / (1 - g) : s2 / (g - 1);
  return { bias, variance, risk: bias + variance };
}
