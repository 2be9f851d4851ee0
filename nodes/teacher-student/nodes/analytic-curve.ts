import { z } from 'zod';
import { defineNode } from '../../../engine/node.ts';
import { table } from '../../../engine/ports.ts';
import { columnsTable } from '../../../engine/table.ts';
import { bipartiteAnalyticCurve } from '../analytic-curve.ts';
import { logSpace } from '../dense.ts';
import { checkTimeGrid, conditionKappa, noiseSigma, ridgeLambda, sizeD, sizeN, timeGrid } from './schemas.ts';

/** The approximate bipartite-F curve (eqs. 4.2.11–4.2.16); invalid points are NaN plus a warning. */
export const analyticCurveNode = defineNode({
  name: 'teacher-student/analytic-curve',
  version: 1,
  description: 'replica + ridge-for-time approximation of R(t), Q(t), E_G(t) for a bipartite F',
  module: import.meta.url,
  params: z
    .object({
      n: sizeN,
      d: sizeD,
      p: z.number().int('p must be an integer'),
      kappa: conditionKappa,
      sigma: noiseSigma,
      lambda: ridgeLambda,
      /** block scales; omitted: the authors' s₁ = 0.5, s₂ = 0.5/κ */
      s1: z.number().positive('s₁ must be > 0').optional(),
      s2: z.number().positive('s₂ must be > 0').optional(),
      variant: z.enum(['both', 'fast-only', 'slow-only']).default('both'),
      ...timeGrid,
      log10TMax: timeGrid.log10TMax.default(8),
      tPoints: timeGrid.tPoints.default(300),
    })
    .superRefine((v, ctx) => {
      if (v.p <= 0 || v.p >= v.d) ctx.addIssue({ code: 'custom', path: ['p'], message: `p must satisfy 0 < p < d = ${v.d}` });
      checkTimeGrid(v, ctx);
    }),
  inputs: {},
  output: table,
  run(ctx) {
    const { log10TMin, log10TMax, tPoints, ...o } = ctx.params;
    const c = bipartiteAnalyticCurve({ ...o, ts: logSpace(log10TMin, log10TMax, tPoints) });
    for (const w of c.warnings) ctx.warn(w);
    return columnsTable(
      { t: c.t, R: c.R, Q: c.Q, EG: c.EG, valid: Array.from(c.invalid, (b) => b === 0) },
      { kind: 'analytic', ...o, tGrid: { log10TMin, log10TMax, tPoints }, s1: o.s1 ?? 0.5, s2: o.s2 ?? 0.5 / o.kappa, EGForm: 'thesis ½(1 + σ² − 2R + Q)', warnings: c.warnings, plotAgainst: 't + 1' },
    );
  },
});
