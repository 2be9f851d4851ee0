import { z } from 'zod';
import { defineNode } from '../../../engine/node.ts';
import { table, tensors } from '../../../engine/ports.ts';
import { columnsTable } from '../../../engine/table.ts';
import { columnVector } from '../dense.ts';
import { gradientDescentEigenbasis, gradientDescentLoop, logSpacedSteps, qPenaltySchedule } from '../gd-loop.ts';
import { spectrumOfGram, weightsFromGains } from '../gram-spectrum.ts';
import { alignmentAndNorm, empiricalTestError, generalisationError } from '../metrics.ts';
import { modulationSummary, setupFromBundles } from './draw-inputs.ts';
import { ridgeLambda } from './schemas.ts';

/**
 * Explicit GD, step by step, optionally with the Q-regulariser of Fig. 6 (α_i schedule) and with
 * Langevin noise; records test error, R, Q at log-spaced steps.
 */
export const gdLoopCurveNode = defineNode({
  name: 'teacher-student/gd-loop-curve',
  version: 1,
  description: 'explicit (optionally Q-regularised, optionally Langevin) gradient descent on one draw',
  module: import.meta.url,
  params: z.object({
    lambda: ridgeLambda,
    steps: z.number().int('steps must be an integer').min(1, 'steps must be ≥ 1').max(1e8),
    recordPoints: z.number().int().min(2).max(100_000).default(300),
    /** none: plain GD; q: + (α_i/2)‖Xŵ‖² with α_i = α₀ ln(1 + e^{−decay·i}) / ln 2 */
    penalty: z.enum(['none', 'q']).default('none'),
    alpha0: z.number().min(0, 'α₀ must be ≥ 0').default(0.6),
    alphaDecay: z.number().min(0).default(0.001),
    /** inverse temperature of the Langevin noise ξ ~ N(0, I/β); null: none */
    beta: z.number().positive('β must be > 0').nullable().default(null),
    eta: z.number().positive('η must be > 0').optional(),
    /** explicit: ŵ updated step by step (the paper's loop); eigenbasis: the same iteration per eigen-direction, O(d) a step (no Langevin noise) */
    solver: z.enum(['explicit', 'eigenbasis']).default('explicit'),
  }).refine((v) => !(v.solver === 'eigenbasis' && v.beta !== null), { path: ['beta'], message: 'Langevin noise (β) needs solver "explicit"' }),
  inputs: { teacher: tensors, modulation: tensors },
  output: table,
  backends: ['linalg'],
  run(ctx) {
    const { draw, sigma } = setupFromBundles(ctx.inputs.teacher, ctx.inputs.modulation, ctx.linalg);
    const { lambda, steps, recordPoints, penalty, alpha0, alphaDecay, beta, eta, solver } = ctx.params;
    const linalg = ctx.linalg;
    const gram = linalg.gemm(draw.X, draw.X, { transA: true });
    const xty = linalg.gemm(draw.X, columnVector(draw.teacher.y), { transA: true }).data;
    const spec = spectrumOfGram(gram, { lambda, eta }, linalg);
    const record = logSpacedSteps(steps, recordPoints, true);
    const cols = { step: new Float64Array(record.length), testError: new Float64Array(record.length), R: new Float64Array(record.length), Q: new Float64Array(record.length), EG: new Float64Array(record.length) };
    let k = 0;
    const onRecord = (step: number, w: Float64Array) => {
      const { R, Q } = alignmentAndNorm(draw.modulation.F, w, draw.teacher.w, linalg);
      cols.step[k] = step;
      cols.testError[k] = empiricalTestError(draw.Xtest, draw.teacher.ytest, w, linalg);
      cols.R[k] = R;
      cols.Q[k] = Q;
      cols.EG[k] = generalisationError(R, Q, sigma);
      k++;
    };
    const alpha = penalty === 'q' ? qPenaltySchedule(alpha0, alphaDecay) : undefined;
    const common = { eta: spec.eta, lambda, steps, alpha, record, onRecord, signal: ctx.signal, progress: (f: number) => ctx.progress(f) };
    if (solver === 'explicit') {
      gradientDescentLoop({ ...common, gram, xty, beta: beta ?? undefined, random: ctx.random.fork('langevin') }, linalg);
    } else {
      const targets = linalg.gemm(spec.V, columnVector(xty), { transA: true }).data;
      const ones = new Float64Array(spec.d).fill(1);
      gradientDescentEigenbasis({ ...common, values: spec.values, targets, toWeights: (c) => weightsFromGains(spec, ones, c, linalg) });
    }
    return columnsTable(cols, {
      kind: 'gd-loop', ...modulationSummary(draw), n: draw.X.rows, d: draw.X.cols, sigma, lambda, eta: spec.eta, steps, penalty,
      penaltyForm: penalty === 'q' ? `(α_i/2)‖Xŵ‖², α_i = ${alpha0}·ln(1 + e^{−${alphaDecay} i})/ln 2` : 'none',
      langevinBeta: beta, solver, linalg: linalg.name, recordedAt: 'weights after `step` updates',
    });
  },
});
