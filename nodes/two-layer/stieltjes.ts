/**
 * The Marchenko–Pastur Stieltjes transform m(z) = ∫ dF_γ(s)/(s − z) at z = −μ (μ > 0), for the
 * spectrum of XᵀX/n with X n×d standard Gaussian and γ = d/n, and its derivative m′(z) = dm/dz.
 *
 * The digest writes m(−μ) = [−a + √D]/(2γμ) with a = 1 − γ + μ, D = a² + 4γμ. That quotient
 * cancels when a > 0 (γ < 1, small μ), and the variance term m − μm′ cancels when γ > 1 (both
 * terms grow like (1 − 1/γ)/μ). Everything here goes through q = √D − a, computed without
 * cancellation in both signs of a, so the closed forms stay accurate as μ → 0.
 */
export interface StieltjesAt {
  /** m(−μ) */
  readonly m: number;
  /** m′(−μ) = dm/dz at z = −μ (positive) */
  readonly dm: number;
  /** q = √D − a = 2γμ·m(−μ) */
  readonly q: number;
  /** √D = √(a² + 4γμ) */
  readonly sqrtD: number;
}

export function checkGamma(gamma: number, what: string): void {
  if (!(gamma > 0) || !Number.isFinite(gamma)) throw new RangeError(`${what}: γ must be a finite number > 0, got ${gamma}`);
}

export function mpStieltjes(gamma: number, mu: number): StieltjesAt {
  checkGamma(gamma, 'mpStieltjes');
  if (!(mu > 0) || !Number.isFinite(mu)) throw new RangeError(`mpStieltjes: μ must be a finite number > 0, got ${mu}`);
  const a = 1 - gamma + mu;
  const sqrtD = Math.sqrt(a * a + 4 * gamma * mu);
  // (√D − a)(√D + a) = 4γμ: use the product form when a > 0, where √D − a would cancel
  const q = a > 0 ? (4 * gamma * mu) / (sqrtD + a) : sqrtD - a;
  const m = q / (2 * gamma * mu);
  // from γzm² − (1 − γ − z)m + 1 = 0: m′ = m(1 + γm)/(a + 2γμm) and a + 2γμm = √D
  const dm = (m * (1 + gamma * m)) / sqrtD;
  return { m, dm, q, sqrtD };
}
