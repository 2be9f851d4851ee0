import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  firstLayerLinearRisk,
  gaussianExpectation,
  minNormRisk,
  mpStieltjes,
  ntkCoefficients,
  randomFeaturesVarianceFiniteN,
  randomFeaturesVarianceLimit,
  ridgeRisk,
  secondLayerLinearRisk,
  vanishingInitRisk,
} from '../../nodes/two-layer/closed-forms.ts';
import { ACTIVATIONS } from '../../nodes/two-layer/activations.ts';

const base = { r: 1, sigma: 0.5 };

describe('ridgeRisk', () => {
  it('matches the digest\'s checked values at μ = 0.1 (γ = 0.5 → 0.1768, γ = 2 → 0.6865)', () => {
    expect(ridgeRisk({ gamma: 0.5, mu: 0.1, ...base }).risk).toBeCloseTo(0.1768, 4);
    expect(ridgeRisk({ gamma: 2, mu: 0.1, ...base }).risk).toBeCloseTo(0.6865, 4);
  });

  it('tends to minNormRisk as μ → 0, on both sides of the threshold', () => {
    for (const gamma of [0.5, 2]) {
      const limit = minNormRisk({ gamma, ...base }).risk;
      expect(Math.abs(ridgeRisk({ gamma, mu: 1e-6, ...base }).risk / limit - 1)).toBeLessThan(1e-5);
      // far below where the textbook quotient would have cancelled to noise
      expect(Math.abs(ridgeRisk({ gamma, mu: 1e-13, ...base }).risk / limit - 1)).toBeLessThan(1e-10);
    }
  });

  it('has m′ equal to a central finite difference of m (d/dz at z = −μ, positive)', () => {
    for (const [gamma, mu] of [[0.5, 0.1], [2, 0.1], [1, 0.3], [3, 0.02]] as const) {
      const h = 1e-6 * mu;
      // z = −μ: dm/dz = −dm/dμ
      const fd = -(mpStieltjes(gamma, mu + h).m - mpStieltjes(gamma, mu - h).m) / (2 * h);
      const { dm } = ridgeRisk({ gamma, mu, ...base });
      expect(dm).toBeGreaterThan(0);
      expect(Math.abs(dm / fd - 1)).toBeLessThan(1e-6);
    }
  });

  it('solves the Marchenko–Pastur equation γzm² − (1 − γ − z)m + 1 = 0', () => {
    fc.assert(fc.property(fc.double({ min: 0.05, max: 10, noNaN: true }), fc.double({ min: 1e-8, max: 100, noNaN: true }), (gamma, mu) => {
      const { m } = mpStieltjes(gamma, mu);
      const z = -mu;
      expect(Math.abs(gamma * z * m * m - (1 - gamma - z) * m + 1)).toBeLessThan(1e-8 * Math.max(1, gamma * mu * m * m));
    }));
  });

  const gammaArb = fc.double({ min: 0.05, max: 8, noNaN: true }).filter((g) => Math.abs(g - 1) > 1e-3);
  const muArb = fc.double({ min: 1e-6, max: 50, noNaN: true });

  it('property: bias, variance and risk are non-negative and finite', () => {
    fc.assert(fc.property(gammaArb, muArb, fc.double({ min: 0, max: 5, noNaN: true }), fc.double({ min: 0, max: 5, noNaN: true }), (gamma, mu, r, sigma) => {
      const out = ridgeRisk({ gamma, mu, r, sigma });
      for (const v of [out.bias, out.variance, out.risk]) expect(v >= 0 && Number.isFinite(v)).toBe(true);
    }));
  });

  it('property: the variance increases with σ', () => {
    fc.assert(fc.property(gammaArb, muArb, fc.double({ min: 0.01, max: 3, noNaN: true }), (gamma, mu, sigma) => {
      const lo = ridgeRisk({ gamma, mu, r: 1, sigma }).variance;
      const hi = ridgeRisk({ gamma, mu, r: 1, sigma: sigma * 1.1 }).variance;
      expect(hi).toBeGreaterThan(lo);
    }));
  });

  it('property: the bias increases with μ', () => {
    fc.assert(fc.property(gammaArb, fc.double({ min: 1e-4, max: 20, noNaN: true }), (gamma, mu) => {
      expect(ridgeRisk({ gamma, mu: mu * 1.2, r: 1, sigma: 0.5 }).bias).toBeGreaterThan(ridgeRisk({ gamma, mu, r: 1, sigma: 0.5 }).bias);
    }));
  });

  it('rejects a negative penalty with a message naming it', () => {
    expect(() => ridgeRisk({ gamma: 1, mu: -1, ...base })).toThrow(/μ must be/);
  });
});

describe('minNormRisk and the vanishing-init limits', () => {
  it('gives σ²γ/(1 − γ) below and r²(1 − 1/γ) + σ²/(γ − 1) above the threshold', () => {
    expect(minNormRisk({ gamma: 0.5, ...base })).toEqual({ bias: 0, variance: 0.25, risk: 0.25 });
    expect(minNormRisk({ gamma: 2, ...base }).risk).toBeCloseTo(0.75, 14);
    expect(vanishingInitRisk({ gamma1: 2, ...base })).toEqual({ regime: 'converged', risk: 0.75 });
    expect(vanishingInitRisk({ gamma1: 0.5, ...base })).toEqual({ regime: 'plateau', risk: 0.25 });
  });

  it('random-features variance: σ²γ₂/(1 − γ₂) and its finite-n form σ²h/(n − h − 1)', () => {
    expect(randomFeaturesVarianceLimit({ gamma2: 0.5, sigma: 0.5 })).toBeCloseTo(0.25, 14);
    expect(randomFeaturesVarianceFiniteN({ n: 400, h: 200, sigma: 0.5 })).toBeCloseTo((0.25 * 200) / 199, 14);
    expect(() => randomFeaturesVarianceLimit({ gamma2: 1.5, sigma: 0.5 })).toThrow(/γ₂ < 1/);
  });
});

describe('NTK-regime coefficients by Gauss–Hermite quadrature', () => {
  it('integrates Gaussian moments exactly (E z⁴ = 3, E z⁶ = 15)', () => {
    expect(gaussianExpectation((z) => z ** 4).value).toBeCloseTo(3, 12);
    expect(gaussianExpectation((z) => z ** 6).value).toBeCloseTo(15, 11);
  });

  it('agrees with a fine trapezoid rule (independent) for the sigmoid at s = 1, 2, 4', () => {
    const dphi = ACTIVATIONS.sigmoid.dphi;
    for (const s of [1, 2, 4]) {
      let mean = 0;
      const step = 1e-3;
      for (let z = -14; z <= 14; z += step) mean += (step * dphi(s * z) * Math.exp(-z * z / 2)) / Math.sqrt(2 * Math.PI);
      const c = ntkCoefficients({ s });
      expect(Math.abs(c.meanDphi - mean)).toBeLessThan(1e-8);
      // the reported estimate |Q_N − Q_2N| is honest: it bounds the actual error
      expect(Math.abs(c.meanDphi - mean)).toBeLessThanOrEqual(Math.max(1e-12, c.quadratureError));
      expect(c.quadratureError).toBeLessThan(1e-7);
    }
  });

  it('gives the digest\'s NTK-regime bias and variance at γ₁ = 0.5, s = 1/2/4 (sigmoid)', () => {
    const expected = [[1, 0.004, 0.209], [2, 0.05, 0.126], [4, 0.193, 0.056]] as const;
    for (const [s, bias, variance] of expected) {
      const mu = ntkCoefficients({ s, gamma1: 0.5 }).mu!;
      const out = ridgeRisk({ gamma: 0.5, mu, ...base });
      expect(Math.abs(out.bias - bias)).toBeLessThan(1.5e-3);
      expect(Math.abs(out.variance - variance)).toBeLessThan(1.5e-3);
    }
  });

  it('rejects ReLU (not smooth)', () => {
    expect(() => ntkCoefficients({ s: 1, activation: 'relu' })).toThrow(/not smooth/);
  });
});

describe('two-layer linear network theory', () => {
  it('reduces to the isotropic min-norm formulas far past the threshold (γ₂ ≫ γ₁)', () => {
    for (const gamma1 of [1.5, 3]) {
      const far = secondLayerLinearRisk({ gamma1, gamma2: 1e4, ...base }).risk;
      expect(Math.abs(far / minNormRisk({ gamma: gamma1, ...base }).risk - 1)).toBeLessThan(2e-3);
    }
  });

  it('is flat at the OLS risk for γ₂ ≥ γ₁ when γ₁ < 1, and blows up at γ₂ = 1 only when γ₁ > 1', () => {
    expect(secondLayerLinearRisk({ gamma1: 0.5, gamma2: 2, ...base }).risk).toBeCloseTo(0.25, 12);
    expect(secondLayerLinearRisk({ gamma1: 0.5, gamma2: 0.5, ...base }).risk).toBeCloseTo(0.25, 12);
    expect(secondLayerLinearRisk({ gamma1: 2, gamma2: 0.99, ...base }).risk).toBeGreaterThan(50);
    expect(secondLayerLinearRisk({ gamma1: 2, gamma2: 1.01, ...base }).risk).toBeGreaterThan(50);
  });

  it('first layer trained: independent of γ₂ by construction, (r² + ρ²)(1 − 1/γ₁) + σ²/(γ₁ − 1) above', () => {
    expect(firstLayerLinearRisk({ gamma1: 2, ...base }).risk).toBeCloseTo(2 * 0.5 + 0.25, 12);
    expect(firstLayerLinearRisk({ gamma1: 0.5, ...base }).risk).toBeCloseTo(0.25, 12);
  });
});
