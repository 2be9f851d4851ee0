/**
 * Figure (c)'s data: first layer trained from vanishing initialisation at one (n, γ₁, h), the risk
 * trajectory averaged over draws, with the plateau and the converged value of each draw.
 */
import { z } from 'zod';
import { defineNode } from '../../../engine/node.ts';
import { table } from '../../../engine/ports.ts';
import { columnsTable } from '../../../engine/table.ts';
import { meanSem } from '../draws.ts';
import { vanishingInitRisk } from '../limits.ts';
import { PLATEAU_LOSS_DROP, plateauRisk, vanishingInitTrajectory, type Trajectory } from '../vanishing-init.ts';
import { drawCount, noiseStd, ratio, sampleSize, sizes, smoothActivation, teacherNorm, testSize } from './schemas.ts';

function meanOver(ts: readonly Trajectory[], pick: (t: Trajectory) => number[]): { mean: number[]; sem: number[] } {
  const cols = ts[0]!.step.map((_, i) => meanSem(ts.map((t) => pick(t)[i]!)));
  return { mean: cols.map((c) => c.mean), sem: cols.map((c) => c.sem) };
}

export const vanishingInitNode = defineNode({
  name: 'two-layer/vanishing-init-trajectory',
  version: 1,
  description: 'first layer trained by full-batch GD from w ~ N(0, I/(d·h^{1+ε})): risk over steps, plateau and converged value',
  module: import.meta.url,
  params: z.object({
    n: sampleSize,
    gamma1: ratio('γ₁'),
    h: z.number().int().min(2).max(100_000).refine((v) => v % 2 === 0, 'h must be even (the doubling trick)'),
    r: teacherNorm,
    sigma: noiseStd,
    draws: drawCount,
    steps: z.number().int().min(1).max(10_000_000),
    recordPoints: z.number().int().min(2).max(2000).default(60),
    epsilon: z.number().min(0).max(4).default(0.5),
    stepFactor: z.number().positive().max(2).default(1),
    nTest: testSize,
    activation: smoothActivation,
  }),
  inputs: {},
  output: table,
  backends: ['linalg'],
  run(ctx) {
    const p = ctx.params;
    const { d } = sizes(p.n, p.gamma1, 1);
    const runs = Array.from({ length: p.draws }, (_, k) =>
      vanishingInitTrajectory({ ...p, d }, ctx.random.fork(`draw-${k}`), ctx.linalg, (f) => ctx.progress((k + f) / p.draws)),
    );
    const risk = meanOver(runs, (t) => t.risk), loss = meanOver(runs, (t) => t.trainLoss);
    const plateau = meanSem(runs.map((t) => plateauRisk(t).risk));
    const converged = meanSem(runs.map((t) => t.risk[t.risk.length - 1]!));
    const lsRisk = meanSem(runs.map((t) => t.leastSquaresRisk));
    const theory = p.gamma1 === 1 ? null : vanishingInitRisk({ gamma1: d / p.n, r: p.r, sigma: p.sigma });
    return columnsTable(
      { step: runs[0]!.step, riskMean: risk.mean, riskSem: risk.sem, trainLossMean: loss.mean },
      {
        kind: 'vanishing-init-trajectory', n: p.n, d, h: p.h, gamma1: p.gamma1, gamma2: p.h / p.n, draws: p.draws, steps: p.steps,
        eta: meanSem(runs.map((t) => t.eta)).mean,
        plateau: { mean: plateau.mean, sem: plateau.sem, steps: runs.map((t) => plateauRisk(t).step) },
        converged: { mean: converged.mean, sem: converged.sem },
        leastSquaresRisk: { mean: lsRisk.mean, sem: lsRisk.sem },
        theory: theory && { ...theory, finiteN: p.gamma1 < 1 ? (p.sigma ** 2 * d) / (p.n - d - 1) : null },
        linalg: ctx.linalg.name,
        assumed: {
          activation: p.activation,
          init: `w_i ~ N(0, I/(d·h^{1+ε})), ε = ${p.epsilon}`,
          secondLayer: 'doubling trick: h/2 neurons drawn, each twice with a = ±1/√h (f ≡ 0 at init, Σa = 0)',
          step: `η = ${p.stepFactor}/(φ′(0)²·λ_max(XᵀX/n)), full batch, float64`,
          plateau: `risk at the last record whose training loss is ≥ (1 − ${PLATEAU_LOSS_DROP}) × the least-squares loss`,
          risk: `Monte Carlo over ${p.nTest} test inputs with noiseless targets`,
        },
      },
    );
  },
});
