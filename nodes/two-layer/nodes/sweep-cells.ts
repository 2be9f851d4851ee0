/**
 * One cell of the γ₂ sweeps of figures (a) and (b): many draws of the linear network (either
 * layer trained) or of random features at one (n, γ₁, γ₂); a one-row table of mean ± standard
 * error of bias, variance and risk beside the theory at the cell's actual ratios d/n, h/n.
 */
import { z } from 'zod';
import { defineNode } from '../../../engine/node.ts';
import { table } from '../../../engine/ports.ts';
import { columnsTable } from '../../../engine/table.ts';
import { meanSem } from '../draws.ts';
import { randomFeaturesVarianceFiniteN, randomFeaturesVarianceLimit } from '../limits.ts';
import { firstLayerLinearRisk, secondLayerLinearRisk } from '../linear-network-theory.ts';
import { linearNetworkDraw } from '../linear-network-sim.ts';
import { randomFeaturesDraw } from '../random-features.ts';
import type { RiskParts } from '../ridge-risk.ts';
import { drawCount, noiseStd, ratio, sampleSize, sizes, teacherNorm } from './schemas.ts';

const cellParams = { n: sampleSize, gamma1: ratio('γ₁'), gamma2: ratio('γ₂'), r: teacherNorm, sigma: noiseStd, draws: drawCount };

function summaryColumns(parts: readonly RiskParts[]) {
  const out: Record<string, number[]> = {};
  for (const k of ['bias', 'variance', 'risk'] as const) {
    const m = meanSem(parts.map((p) => p[k]));
    out[k] = [m.mean];
    out[`${k}Sem`] = [m.sem];
  }
  return out;
}

const theoryColumns = (t: RiskParts) => ({ theoryBias: [t.bias], theoryVariance: [t.variance], theoryRisk: [t.risk] });

export const linearNetworkCell = defineNode({
  name: 'two-layer/linear-network-cell',
  version: 1,
  description: 'two-layer linear network f = xᵀWa, one (γ₁, γ₂): bias, variance, risk over draws (exact in x and ε) and the theory',
  module: import.meta.url,
  params: z.object({ ...cellParams, training: z.enum(['second-layer', 'first-layer']) }),
  inputs: {},
  output: table,
  backends: ['linalg'],
  run(ctx) {
    const { n, gamma1, gamma2, r, sigma, draws, training } = ctx.params;
    const { d, h } = sizes(n, gamma1, gamma2);
    const parts = Array.from({ length: draws }, (_, k) => {
      ctx.progress(k / draws);
      return linearNetworkDraw({ n, d, h, r, sigma, training }, ctx.random.fork(`draw-${k}`), ctx.linalg);
    });
    const theory = training === 'second-layer' ? secondLayerLinearRisk({ gamma1: d / n, gamma2: h / n, r, sigma, n }) : firstLayerLinearRisk({ gamma1: d / n, r, sigma });
    return columnsTable(
      { gamma1: [gamma1], gamma2: [gamma2], n: [n], d: [d], h: [h], draws: [draws], training: [training], ...summaryColumns(parts), ...theoryColumns(theory) },
      {
        kind: 'linear-network-cell', training, r, sigma, linalg: ctx.linalg.name,
        assumed: {
          firstLayerInit: 'W_ij ~ N(0, 1/d)',
          teacher: 'θ* uniform on the sphere of radius r',
          secondLayerFixed: training === 'first-layer' ? 'a_i = ±1/√h, fair signs (‖a‖ = 1); W trained to the gradient-flow limit β₀ + pinv(X)(y − Xβ₀)' : null,
          theory: 'our derivation (linear-network-theory.ts): misspecification as noise + Hastie et al. 2019 Thm 3 with a Marchenko–Pastur spectrum; finite-n variance p/(n − p − 1) below the threshold',
        },
        expectation: 'exact in x (risk of a linear predictor is ‖β − θ*‖²) and in ε; mean ± standard error over draws of (X, W, θ*)',
      },
    );
  },
});

export const randomFeaturesCell = defineNode({
  name: 'two-layer/random-features-cell',
  version: 1,
  description: 'random features â = pinv(relu(XW))y, one (γ₁, γ₂): bias, variance, risk over draws (exact in x) and the γ₂ < 1 variance formulas',
  module: import.meta.url,
  params: z.object(cellParams),
  inputs: {},
  output: table,
  backends: ['linalg'],
  run(ctx) {
    const { n, gamma1, gamma2, r, sigma, draws } = ctx.params;
    const { d, h } = sizes(n, gamma1, gamma2);
    const parts = Array.from({ length: draws }, (_, k) => {
      ctx.progress(k / draws);
      return randomFeaturesDraw({ n, d, h, r, sigma }, ctx.random.fork(`draw-${k}`), ctx.linalg);
    });
    const below = h < n - 1;
    return columnsTable(
      {
        gamma1: [gamma1], gamma2: [gamma2], n: [n], d: [d], h: [h], draws: [draws], ...summaryColumns(parts),
        theoryVariance: [below ? randomFeaturesVarianceLimit({ gamma2: h / n, sigma }) : Number.NaN],
        theoryVarianceFiniteN: [below ? randomFeaturesVarianceFiniteN({ n, h, sigma }) : Number.NaN],
      },
      {
        kind: 'random-features-cell', activation: 'relu', r, sigma, linalg: ctx.linalg.name,
        assumed: {
          firstLayer: 'W_ij ~ N(0, 1/d), fixed',
          teacher: 'θ* uniform on the sphere of radius r',
          expectation: 'exact in x via the arc-cosine kernel and Stein\'s lemma (the digest assumes Monte Carlo over a test set: same quantity, no test-set noise)',
        },
        theory: 'variance σ²γ₂/(1 − γ₂) and σ²h/(n − h − 1) for γ₂ < 1 only; the poster gives no formula beyond',
      },
    );
  },
});
