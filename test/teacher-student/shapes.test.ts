import { describe, it, expect } from 'vitest';
import { mat } from '../../engine/compute/matrix.ts';
import {
  drawBipartiteSetup,
  empiricalTestError,
  exactCurveForDraw,
  gdClosedFormCurve,
  gradientDescentEigenbasis,
  gramSpectrum,
  logSpace,
  logSpacedSteps,
  qPenaltySchedule,
  targetsInEigenbasis,
} from '../../nodes/teacher-student/compute.ts';
import { linalg, localExtrema, rng } from './helpers.ts';

const fig3 = { n: 150, d: 100, p: 60, sigma: 0 };

function meanExactEG(kappa: number, seeds: number, ts: Float64Array, lambda = 0): Float64Array {
  const out = new Float64Array(ts.length);
  for (let s = 0; s < seeds; s++) {
    const draw = drawBipartiteSetup({ ...fig3, kappa, nTest: 1 }, rng(`shape-${kappa}-${s}`), linalg);
    const c = exactCurveForDraw(draw.X, draw.modulation, { lambda, sigma: 0, ts }, linalg);
    for (let i = 0; i < ts.length; i++) out[i]! += c.EG[i]! / seeds;
  }
  return out;
}

describe('shapes of the simulated curves (Fig. 3, Fig. 6)', () => {
  const ts = logSpace(-3, 6, 120);

  it('κ = 1: a single monotone descent', () => {
    const eg = meanExactEG(1, 3, ts);
    for (let i = 1; i < ts.length; i++) expect(eg[i]!).toBeLessThanOrEqual(eg[i - 1]! + 1e-12);
  });

  it('κ = 50: a descent, an ascent, then a second descent (epoch-wise double descent)', () => {
    const eg = meanExactEG(50, 3, ts);
    const { minima, maxima } = localExtrema(eg);
    const iMin = minima[0]!;
    const iMax = maxima.find((i) => i > iMin);
    expect(iMax).toBeDefined();
    expect(eg[iMax!]! - eg[iMin]!).toBeGreaterThan(0.01);
    expect(eg[ts.length - 1]!).toBeLessThan(eg[iMin]! - 0.1);
    expect(ts[iMin]!).toBeLessThan(ts[iMax!]!);
  });

  it('κ = 1e5 (p = 60): the simulated mean over 100 seeds plateaus within 0.02 of 1/3', () => {
    const late = [1e5, 1e6];
    const seeds = 100;
    const sum = [0, 0];
    for (let s = 0; s < seeds; s++) {
      const draw = drawBipartiteSetup({ ...fig3, kappa: 1e5, nTest: 200 }, rng(`plateau-${s}`), linalg);
      const c = gdClosedFormCurve(draw, { lambda: 0, sigma: 0, ts: late }, linalg);
      sum[0]! += c.testError[0]!;
      sum[1]! += c.testError[1]!;
    }
    for (const v of sum) expect(Math.abs(v / seeds - 1 / 3)).toBeLessThan(0.02);
  });

  it('a large λ removes the second descent of the κ = 50 curve', () => {
    const eg = meanExactEG(50, 2, ts, 0.5);
    const { minima, maxima } = localExtrema(eg);
    expect(minima.filter((i) => maxima.some((j) => j < i))).toEqual([]);
    expect(eg[ts.length - 1]!).toBeGreaterThan(0.2);
  });

  it('the Q-penalty lowers the test error between steps 30 and 1000 and ends within 1e-3 of plain GD (Fig. 6)', () => {
    const seeds = 8, steps = 100_000;
    const record = logSpacedSteps(steps, 120);
    const plain = new Float64Array(record.length), reg = new Float64Array(record.length);
    for (let s = 0; s < seeds; s++) {
      const draw = drawBipartiteSetup({ n: 120, d: 100, p: 70, kappa: 30, sigma: 0, nTest: 1000 }, rng(`fig6-${s}`), linalg);
      const spec = gramSpectrum(draw.X, { lambda: 0 }, linalg);
      const targets = targetsInEigenbasis(spec, draw.X, draw.teacher.y, linalg);
      const toWeights = (c: Float64Array) => linalg.gemm(spec.V, mat(100, 1, Float64Array.from(c))).data;
      for (const [out, alpha] of [[plain, undefined], [reg, qPenaltySchedule(0.6)]] as const) {
        let k = 0;
        gradientDescentEigenbasis({
          eta: spec.eta, lambda: 0, steps, alpha, values: spec.values, targets, toWeights, record,
          onRecord: (_, w) => { out[k++]! += empiricalTestError(draw.Xtest, draw.teacher.ytest, w, linalg) / seeds; },
        });
      }
    }
    let checked = 0;
    record.forEach((step, i) => {
      if (step >= 30 && step <= 1000) {
        expect(reg[i]!).toBeLessThan(plain[i]!);
        checked++;
      }
    });
    expect(checked).toBeGreaterThan(10);
    expect(Math.abs(reg[record.length - 1]! - plain[record.length - 1]!)).toBeLessThan(1e-3);
  });
});
