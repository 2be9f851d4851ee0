import { z } from 'zod';
import { defineNode } from '../../../engine/node.ts';
import { figure, many, table } from '../../../engine/ports.ts';
import { columnsTable, numericColumn } from '../../../engine/table.ts';
import { renderFigure } from '../../plots/index.ts';
import { axisStyle, kappaLabel, metaOf } from './common.ts';

/** The authors' trajectory colours (yellow for κ = 1e5 … dark blue for κ = 1). */
const COLOURS = ['#4337CD', '#4B62F4', '#4B8FE8', '#52B2CD', '#67C59A', '#A6C859', '#EDB832', '#F3E955'];

/**
 * Fig. 4. Left: E_G = ½(1 + σ² − 2R + Q) over the (R, Q) plane, with iso-error lines and the
 * analytic (R(t), Q(t)) trajectories for each κ; right: the matching E_G(t).
 */
export const figure4Node = defineNode({
  name: 'teacher-student/figure-4',
  version: 1,
  module: import.meta.url,
  params: z.object({
    gridPoints: z.number().int().min(5).max(200).default(50),
    rMax: z.number().positive().default(1.05),
    qMax: z.number().positive().default(1.3),
  }),
  inputs: { curves: many(table) },
  output: figure,
  async run(ctx) {
    const { gridPoints, rMax, qMax } = ctx.params;
    const curves = [...ctx.inputs.curves].map((c) => c.value).sort((a, b) => Number(metaOf(a).kappa) - Number(metaOf(b).kappa));
    const m0 = metaOf(curves[0]!);
    const sigma = Number(m0.sigma ?? 0);
    const eg = (R: number, Q: number) => 0.5 * (1 + sigma * sigma - 2 * R + Q);
    const cols = { layer: [] as string[], kappa: [] as string[], R: [] as number[], Q: [] as number[], R2: [] as number[], Q2: [] as number[], t1: [] as number[], EG: [] as number[], order: [] as number[] };
    const row = (layer: string, kappa: string, R: number, Q: number, R2: number, Q2: number, t1: number, E: number, order: number) => {
      cols.layer.push(layer); cols.kappa.push(kappa); cols.R.push(R); cols.Q.push(Q); cols.R2.push(R2); cols.Q2.push(Q2); cols.t1.push(t1); cols.EG.push(E); cols.order.push(order);
    };
    const dR = rMax / gridPoints, dQ = qMax / gridPoints;
    for (let i = 0; i < gridPoints; i++) for (let j = 0; j < gridPoints; j++) {
      const R = i * dR, Q = j * dQ;
      // each cell reaches half a cell up and right, under the cells drawn after it: no anti-aliasing seams
      row('grid', '', R, Q, R + 1.5 * dR, Q + 1.5 * dQ, Number.NaN, eg(R + dR / 2, Q + dQ / 2), 0);
    }
    // iso-error lines: Q = 2E − 1 − σ² + 2R, clipped to the plotted box
    for (const E of [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.8, 1.0]) {
      const label = `E=${E}`;
      const pts: [number, number][] = [];
      for (const R of [0, rMax]) pts.push([R, 2 * E - 1 - sigma * sigma + 2 * R]);
      pts.forEach(([R, Q], k) => row('iso', label, R, Q, Number.NaN, Number.NaN, Number.NaN, E, k));
    }
    const labels: string[] = [];
    for (const c of curves) {
      const label = kappaLabel(Number(metaOf(c).kappa));
      labels.push(label);
      const t = numericColumn(c, 't'), R = numericColumn(c, 'R'), Q = numericColumn(c, 'Q'), E = numericColumn(c, 'EG');
      for (let i = 0; i < t.length; i++) if (Number.isFinite(E[i]!)) row('trajectory', label, R[i]!, Q[i]!, Number.NaN, Number.NaN, t[i]! + 1, E[i]!, i);
    }
    const caption = `Fig. 4 (thesis ch. 4): phase diagram, n=${m0.n}, d=${m0.d}, p=${m0.p}, σ=${m0.sigma}, λ=${m0.lambda}. Left: E_G = ½(1 + σ² − 2R + Q) over (R, Q) ∈ [0, ${rMax}]×[0, ${qMax}] (iso-lines every 0.1) with the analytic (R(t), Q(t)) trajectories from (0, 0); right: E_G(t) for the same κ.`;
    const data = columnsTable(cols, { figure: 'fig4', params: m0, EGForm: 'thesis ½(1 + σ² − 2R + Q); the authors\' heat-map shows 1 − 2R + Q (twice this, σ = 0)' });
    const color = { field: 'kappa', type: 'nominal', title: null, sort: labels, scale: { domain: labels, range: COLOURS.slice(0, labels.length) } };
    const xR = { field: 'R', type: 'quantitative', title: 'R (teacher–student alignment)', scale: { domain: [0, rMax], nice: false }, axis: axisStyle };
    const yQ = { field: 'Q', type: 'quantitative', title: 'Q (modulated norm)', scale: { domain: [0, qMax], nice: false }, axis: axisStyle };
    const spec = {
      hconcat: [
        {
          layer: [
            { transform: [{ filter: "datum.layer === 'grid'" }], mark: { type: 'rect', clip: true }, encoding: { x: xR, x2: { field: 'R2' }, y: yQ, y2: { field: 'Q2' }, fill: { field: 'EG', type: 'quantitative', title: 'E_G', scale: { scheme: 'viridis', domain: [0, 1.2], clamp: true } } } },
            { transform: [{ filter: "datum.layer === 'iso'" }], mark: { type: 'line', clip: true, color: 'white', strokeWidth: 0.7, opacity: 0.6 }, encoding: { x: xR, y: yQ, detail: { field: 'kappa' }, order: { field: 'order' } } },
            { transform: [{ filter: "datum.layer === 'trajectory'" }], mark: { type: 'line', clip: true, strokeWidth: 2 }, encoding: { x: xR, y: yQ, color, order: { field: 'order' } } },
          ],
          resolve: { scale: { color: 'independent' } },
        },
        {
          transform: [{ filter: "datum.layer === 'trajectory'" }],
          mark: { type: 'line', strokeWidth: 2, clip: true },
          encoding: {
            x: { field: 't1', type: 'quantitative', title: 'Training time t + 1', scale: { type: 'log', domain: [1, 1e7] }, axis: { ...axisStyle, format: '.0e' } },
            y: { field: 'EG', type: 'quantitative', title: 'MSE generalization error', scale: { domain: [0, 0.5] }, axis: axisStyle },
            color,
          },
        },
      ],
      resolve: { scale: { color: 'independent' } },
      config: { legend: { labelLimit: 300 } },
    };
    return renderFigure({ spec, table: data, caption, width: 340, height: 300 });
  },
});
