/**
 * Figures (d) and (e)'s data: first layer trained from non-vanishing initialisation at one init
 * scale s (NTK regime) — bias and variance over draws beside the ridge formula with μ(s) — and the
 * empirical kernel at initialisation against b₀XXᵀ + b₁I.
 */
import { z } from 'zod';
import { defineNode } from '../../../engine/node.ts';
import { table } from '../../../engine/ports.ts';
import { columnsTable } from '../../../engine/table.ts';
import { activation } from '../activations.ts';
import { gaussianMat, meanSem } from '../draws.ts';
import { compareKernel, empiricalNtk } from '../empirical-ntk.ts';
import { doubledNetwork } from '../network.ts';
import { ntkCoefficients } from '../ntk-coefficients.ts';
import { ntkRegimeRun } from '../ntk-regime.ts';
import { ridgeRisk } from '../ridge-risk.ts';
import { drawCount, noiseStd, ratio, sampleSize, sizes, smoothActivation, teacherNorm, testSize } from './schemas.ts';

const initScale = z.number().positive('s (init scale) must be > 0').max(100);

export const ntkRegimeNode = defineNode({
  name: 'two-layer/ntk-regime-cell',
  version: 1,
  description: 'first layer trained by GD from w ~ N(0, s²I/d): bias, variance, risk over draws and the equivalent ridge formula',
  module: import.meta.url,
  params: z.object({
    n: sampleSize, gamma1: ratio('γ₁'), gamma2: ratio('γ₂'), s: initScale, r: teacherNorm, sigma: noiseStd, draws: drawCount, nTest: testSize,
    stepsPerCondition: z.number().positive().max(100).default(8),
    maxSteps: z.number().int().min(1).max(10_000_000).default(50_000),
    activation: smoothActivation,
  }),
  inputs: {},
  output: table,
  backends: ['linalg'],
  run(ctx) {
    const p = ctx.params;
    const { d, h } = sizes(p.n, p.gamma1, p.gamma2, true);
    const runs = Array.from({ length: p.draws }, (_, k) => {
      ctx.progress(k / p.draws);
      return ntkRegimeRun({ ...p, d, h }, ctx.random.fork(`draw-${k}`), ctx.linalg);
    });
    const c = ntkCoefficients({ s: p.s, gamma1: d / p.n, activation: p.activation });
    const theory = ridgeRisk({ gamma: d / p.n, mu: c.mu!, r: p.r, sigma: p.sigma });
    const ms = (k: 'bias' | 'variance' | 'risk' | 'relativeMove' | 'steps') => meanSem(runs.map((r) => r[k]));
    const cols: Record<string, number[]> = { s: [p.s], gamma1: [p.gamma1], gamma2: [p.gamma2], n: [p.n], d: [d], h: [h], draws: [p.draws] };
    for (const k of ['bias', 'variance', 'risk'] as const) {
      cols[k] = [ms(k).mean];
      cols[`${k}Sem`] = [ms(k).sem];
    }
    Object.assign(cols, { theoryBias: [theory.bias], theoryVariance: [theory.variance], theoryRisk: [theory.risk], mu: [c.mu!], b0: [c.b0], b1: [d * c.b1PerD], steps: [ms('steps').mean], relativeMove: [ms('relativeMove').mean] });
    return columnsTable(cols, {
      kind: 'ntk-regime-cell', linalg: ctx.linalg.name, quadrature: { rule: 'Gauss–Hermite (Golub–Welsch)', points: c.points, errorEstimate: c.quadratureError },
      maxTrainLoss: Math.max(...runs.map((r) => Math.max(r.trainLossClean, r.trainLossNoisy))),
      assumed: {
        activation: p.activation,
        init: 'w_i ~ N(0, s²I/d); doubling trick a = ±1/√h (f ≡ 0 at init)',
        step: `η = n/λ_max(K₀), ⌈${p.stepsPerCondition}·λ_max/λ_min(K₀)⌉ steps (at most ${p.maxSteps})`,
        biasVariance: 'two runs per draw from one init, on Xθ* and on Xθ* + ε: bias = E(xᵀθ* − f_clean)², variance = E(f_noisy − f_clean)², Monte Carlo over nTest inputs',
      },
    });
  },
});

export const empiricalKernelNode = defineNode({
  name: 'two-layer/empirical-kernel',
  version: 1,
  description: 'the empirical NTK at init against b₀XXᵀ + b₁I: relative errors and a sample of entries',
  module: import.meta.url,
  params: z.object({ n: sampleSize, gamma1: ratio('γ₁'), h: z.number().int().min(2).max(100_000), s: initScale, sample: z.number().int().min(0).max(100_000).default(600), activation: smoothActivation }),
  inputs: {},
  output: table,
  backends: ['linalg'],
  run(ctx) {
    const p = ctx.params;
    const { d } = sizes(p.n, p.gamma1, 1);
    const act = activation(p.activation);
    const X = gaussianMat(p.n, d, 1, ctx.random.fork('X'));
    const K = empiricalNtk(doubledNetwork(d, p.h, p.s / Math.sqrt(d), ctx.random.fork('init')), X, act, ctx.linalg);
    const c = ntkCoefficients({ s: p.s, activation: p.activation });
    const b1 = d * c.b1PerD;
    const errors = compareKernel(K, X, c.b0, b1, ctx.linalg);
    const XX = ctx.linalg.gemm(X, X, { transB: true });
    const cols = { entry: [] as string[], predicted: [] as number[], empirical: [] as number[] };
    const push = (k: number, l: number) => {
      const j = k * p.n + l;
      cols.entry.push(k === l ? 'diagonal' : 'off-diagonal');
      cols.predicted.push(c.b0 * XX.data[j]! + (k === l ? b1 : 0));
      cols.empirical.push(K.data[j]!);
    };
    for (let k = 0; k < p.n; k++) push(k, k);
    const pick = ctx.random.fork('sample');
    for (let i = 0; i < p.sample; i++) {
      const k = pick.int(p.n), l = pick.int(p.n);
      if (k !== l) push(k, l);
    }
    return columnsTable(cols, { kind: 'empirical-kernel', s: p.s, n: p.n, d, h: p.h, b0: c.b0, b1, ...errors, linalg: ctx.linalg.name, assumed: { init: 'w_i ~ N(0, s²I/d), doubling trick a = ±1/√h' } });
  },
});
