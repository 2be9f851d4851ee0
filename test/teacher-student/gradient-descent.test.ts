import { describe, it, expect } from 'vitest';
import { mat } from '../../engine/compute/matrix.ts';
import {
  closedFormWeights,
  drawBipartiteSetup,
  gradientDescentEigenbasis,
  gradientDescentLoop,
  gramSpectrum,
  learnedFraction,
  qPenaltySchedule,
  ridgeProxyWeights,
  spectrumOfGram,
  targetsInEigenbasis,
} from '../../nodes/teacher-student/compute.ts';
import { linalg, relativeError, rng } from './helpers.ts';

function gramAndTargets(seed: string, size: { n: number; d: number; p: number; kappa: number; sigma: number }) {
  const draw = drawBipartiteSetup({ ...size, nTest: 10 }, rng(seed), linalg);
  const gram = linalg.gemm(draw.X, draw.X, { transA: true });
  const xty = linalg.gemm(draw.X, mat(size.n, 1, draw.teacher.y), { transA: true }).data;
  return { draw, gram, xty };
}

describe('gradient descent: closed form, explicit loop, ridge proxy', () => {
  it('closed form equals the explicit loop at t = 1e4 (ŵ to 1e-9 relative, d = 100)', () => {
    for (const lambda of [0, 0.05]) {
      const { draw, gram, xty } = gramAndTargets(`loop-${lambda}`, { n: 150, d: 100, p: 50, kappa: 20, sigma: 0.1 });
      const spec = spectrumOfGram(gram, { lambda }, linalg);
      const loop = gradientDescentLoop({ gram, xty, eta: spec.eta, lambda, steps: 10_000 }, linalg);
      const closed = closedFormWeights(spec, targetsInEigenbasis(spec, draw.X, draw.teacher.y, linalg), 1e4, linalg);
      expect(relativeError(loop, closed)).toBeLessThan(1e-9);
    }
  });

  it('the eigenbasis iteration equals the explicit loop, also with the Q-penalty schedule', () => {
    const { draw, gram, xty } = gramAndTargets('eigen', { n: 120, d: 100, p: 70, kappa: 30, sigma: 0 });
    const spec = spectrumOfGram(gram, { lambda: 0 }, linalg);
    const alpha = qPenaltySchedule(0.6);
    const explicit = gradientDescentLoop({ gram, xty, eta: spec.eta, lambda: 0, steps: 3000, alpha }, linalg);
    const targets = targetsInEigenbasis(spec, draw.X, draw.teacher.y, linalg);
    const ones = new Float64Array(100).fill(1);
    const eigen = gradientDescentEigenbasis({ eta: spec.eta, lambda: 0, steps: 3000, alpha, values: spec.values, targets, toWeights: (c) => linalg.gemm(spec.V, mat(100, 1, c.map((v, j) => v * ones[j]!))).data });
    expect(relativeError(eigen, explicit)).toBeLessThan(1e-9);
  });

  it('the top direction is learned exactly for every t > 0 (its factor |1 − ηλ − ηl_max|^t is exactly 0)', () => {
    const { draw } = gramAndTargets('top', { n: 60, d: 40, p: 20, kappa: 5, sigma: 0 });
    const spec = gramSpectrum(draw.X, { lambda: 0.3 }, linalg);
    expect(spec.x[spec.d - 1]).toBe(1);
    for (const t of [1e-3, 0.5, 1, 7.5]) expect(learnedFraction(spec.x[spec.d - 1]!, t)).toBe(1);
    expect(learnedFraction(0.5, 0)).toBe(0);
    // fractional t interpolates: 1 − (1 − x)^t
    expect(learnedFraction(0.5, 1.5)).toBeCloseTo(1 - 0.5 ** 1.5, 15);
    // tiny x·t keeps its digits (expm1/log1p): 1 − (1 − 1e-12)^3 ≈ 3e-12
    expect(learnedFraction(1e-12, 3) / 3e-12).toBeCloseTo(1, 9);
  });

  it('with n < d the null directions stay at zero and nothing divides by zero', () => {
    const { draw } = gramAndTargets('null', { n: 30, d: 50, p: 20, kappa: 10, sigma: 0 });
    const spec = gramSpectrum(draw.X, { lambda: 0 }, linalg);
    const c = targetsInEigenbasis(spec, draw.X, draw.teacher.y, linalg);
    for (const t of [1, 1e3, 1e8]) expect(closedFormWeights(spec, c, t, linalg).every(Number.isFinite)).toBe(true);
  });

  it('the ridge proxy equals a direct solve of (XᵀX + 2(λ + 1/t) I) ŵ = Xᵀy', () => {
    const { draw, gram, xty } = gramAndTargets('ridge', { n: 80, d: 40, p: 20, kappa: 10, sigma: 0.2 });
    const lambda = 0.01, t = 37;
    const spec = gramSpectrum(draw.X, { lambda }, linalg);
    const viaEigen = ridgeProxyWeights(spec, targetsInEigenbasis(spec, draw.X, draw.teacher.y, linalg), t, linalg);
    const A = mat(40, 40, Float64Array.from(gram.data));
    for (let i = 0; i < 40; i++) A.data[i * 40 + i]! += 2 * (lambda + 1 / t);
    const viaSolve = linalg.solve(A, mat(40, 1, xty)).data;
    expect(relativeError(viaEigen, viaSolve)).toBeLessThan(1e-10);
  });

  it('Langevin noise perturbs the weights, by an amount that shrinks as β grows', () => {
    const { gram, xty } = gramAndTargets('langevin', { n: 60, d: 30, p: 10, kappa: 3, sigma: 0 });
    const spec = spectrumOfGram(gram, { lambda: 0 }, linalg);
    const plain = gradientDescentLoop({ gram, xty, eta: spec.eta, lambda: 0, steps: 200 }, linalg);
    const dev = (beta: number) => relativeError(gradientDescentLoop({ gram, xty, eta: spec.eta, lambda: 0, steps: 200, beta, random: rng(`xi-${beta}`) }, linalg), plain);
    const hot = dev(1e2), cold = dev(1e8);
    expect(hot).toBeGreaterThan(cold * 100);
    expect(cold).toBeGreaterThan(0);
  });
});

describe('the GD loop in stretches of steps', () => {
  it('gives the same weights, bit for bit, whatever the recorded steps split it into (with Langevin noise)', () => {
    const { gram, xty } = gramAndTargets('stretches', { n: 60, d: 30, p: 10, kappa: 3, sigma: 0 });
    const spec = spectrumOfGram(gram, { lambda: 0 }, linalg);
    const common = { gram, xty, eta: spec.eta, lambda: 0.01, steps: 1234, alpha: qPenaltySchedule(0.6), beta: 1e6 };
    const whole = gradientDescentLoop({ ...common, random: rng('same-noise') }, linalg);
    const seen: number[] = [];
    const split = gradientDescentLoop({ ...common, random: rng('same-noise'), record: [0, 1, 2.5, 3, 500, 1234, 2000], onRecord: (step) => seen.push(step) }, linalg);
    expect([...split]).toEqual([...whole]);
    expect(seen).toEqual([0, 1, 3, 500, 1234]); // 2.5 and steps past the end are never reached
  });

  it('passes over NaN and negative recorded steps, and rejects a non-integer step count', () => {
    const { gram, xty } = gramAndTargets('odd-records', { n: 30, d: 10, p: 5, kappa: 3, sigma: 0 });
    const eta = spectrumOfGram(gram, { lambda: 0 }, linalg).eta;
    const seen: number[] = [];
    gradientDescentLoop({ gram, xty, eta, lambda: 0, steps: 20, record: [NaN, -1, 0, 5, NaN, 20], onRecord: (s) => seen.push(s) }, linalg);
    expect(seen).toEqual([0, 5, 20]);
    expect(() => gradientDescentLoop({ gram, xty, eta, lambda: 0, steps: 10.5 }, linalg)).toThrow(/steps must be an integer/);
  });
});
