/**
 * Per-draw curves over a log-spaced time grid: closed-form GD, the ridge proxy, and the exact
 * teacher-averaged R(t), Q(t). Each does one eigendecomposition of XᵀX and reuses it for every t.
 */
import { z } from 'zod';
import { defineNode } from '../../../engine/node.ts';
import { table, tensors } from '../../../engine/ports.ts';
import { columnsTable } from '../../../engine/table.ts';
import { logSpace } from '../dense.ts';
import { gramSpectrum } from '../gram-spectrum.ts';
import { generalisationError } from '../metrics.ts';
import { exactCurveForDraw, gdClosedFormCurve, ridgeProxyCurve, type MeasuredCurve } from '../simulate.ts';
import { modulationSummary, setupFromBundles } from './draw-inputs.ts';
import { checkTimeGrid, ridgeLambda, timeGrid } from './schemas.ts';

const curveParams = z
  .object({
    lambda: ridgeLambda,
    /** GD step size; omitted: η = 1/(l_max + λ) */
    eta: z.number().positive('η must be > 0').optional(),
    ...timeGrid,
  })
  .superRefine(checkTimeGrid);

const ridgeParams = z.object({ lambda: ridgeLambda, ...timeGrid }).superRefine(checkTimeGrid);

type Draw = ReturnType<typeof setupFromBundles>['draw'];

/** What every curve node records about its draw and its time grid. */
function drawMetadata(draw: Draw, sigma: number, p: { lambda: number; log10TMin: number; log10TMax: number; tPoints: number }) {
  return { ...modulationSummary(draw), n: draw.X.rows, d: draw.X.cols, sigma, lambda: p.lambda, tGrid: { log10TMin: p.log10TMin, log10TMax: p.log10TMax, tPoints: p.tPoints } };
}

function measuredTable(c: MeasuredCurve, sigma: number, metadata: Record<string, unknown>) {
  return columnsTable(
    {
      t: c.t,
      testError: c.testError,
      R: c.R,
      Q: c.Q,
      EG: c.EG,
      EGcode: Float64Array.from(c.R, (r, i) => generalisationError(r, c.Q[i]!, sigma, 'code')),
    },
    metadata,
  );
}

export const gdClosedFormCurveNode = defineNode({
  name: 'teacher-student/gd-closed-form-curve',
  version: 1,
  description: 'closed-form GD ŵ(t) = V diag(1 − |1 − ηλ − ηl_j|^t) Vᵀ w̄ on one draw: test error, R, Q per t',
  module: import.meta.url,
  params: curveParams,
  inputs: { teacher: tensors, modulation: tensors },
  output: table,
  backends: ['linalg'],
  run(ctx) {
    const { draw, sigma } = setupFromBundles(ctx.inputs.teacher, ctx.inputs.modulation, ctx.linalg);
    const { lambda, eta, log10TMin, log10TMax, tPoints } = ctx.params;
    const spec = gramSpectrum(draw.X, { lambda, eta }, ctx.linalg);
    const c = gdClosedFormCurve(draw, { lambda, sigma, ts: logSpace(log10TMin, log10TMax, tPoints) }, ctx.linalg, spec);
    return measuredTable(c, sigma, { kind: 'gd-closed-form', ...drawMetadata(draw, sigma, ctx.params), eta: spec.eta, etaRule: eta === undefined ? '1/(l_max + λ)' : 'given', linalg: ctx.linalg.name, testErrorForm: '½·mean (xᵀŵ − y*)²', EGForm: 'thesis ½(1 + σ² − 2R + Q); EGcode ½(1 − 2R + Q)' });
  },
});

export const ridgeProxyCurveNode = defineNode({
  name: 'teacher-student/ridge-proxy-curve',
  version: 1,
  description: 'ridge proxy of training time: ŵ = (XᵀX + 2(λ + 1/t) I)⁻¹ Xᵀy on one draw',
  module: import.meta.url,
  params: ridgeParams,
  inputs: { teacher: tensors, modulation: tensors },
  output: table,
  backends: ['linalg'],
  run(ctx) {
    const { draw, sigma } = setupFromBundles(ctx.inputs.teacher, ctx.inputs.modulation, ctx.linalg);
    const { lambda, log10TMin, log10TMax, tPoints } = ctx.params;
    const c = ridgeProxyCurve(draw, { lambda, sigma, ts: logSpace(log10TMin, log10TMax, tPoints) }, ctx.linalg);
    return measuredTable(c, sigma, { kind: 'ridge-proxy', ...drawMetadata(draw, sigma, ctx.params), ridge: '2(λ + 1/t) as in the authors\' code', linalg: ctx.linalg.name });
  },
});

export const exactCurveNode = defineNode({
  name: 'teacher-student/exact-curve',
  version: 1,
  description: 'exact general-case R(t), Q(t) (thesis eqs. 4.2.9–4.2.10 with σ, λ), averaged over the teacher for one draw of X, F',
  module: import.meta.url,
  params: curveParams,
  inputs: { teacher: tensors, modulation: tensors },
  output: table,
  backends: ['linalg'],
  run(ctx) {
    const { draw, sigma } = setupFromBundles(ctx.inputs.teacher, ctx.inputs.modulation, ctx.linalg);
    const { lambda, eta, log10TMin, log10TMax, tPoints } = ctx.params;
    const spec = gramSpectrum(draw.X, { lambda, eta }, ctx.linalg);
    const c = exactCurveForDraw(draw.X, draw.modulation, { lambda, sigma, ts: logSpace(log10TMin, log10TMax, tPoints) }, ctx.linalg, spec);
    return columnsTable(
      { t: c.t, R: c.R, Q: c.Q, EG: c.EG, EGcode: Float64Array.from(c.R, (r, i) => generalisationError(r, c.Q[i]!, sigma, 'code')) },
      { kind: 'exact', ...drawMetadata(draw, sigma, ctx.params), eta: spec.eta, linalg: ctx.linalg.name, EGForm: 'thesis ½(1 + σ² − 2R + Q); EGcode ½(1 − 2R + Q)' },
    );
  },
});
