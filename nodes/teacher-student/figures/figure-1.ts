import { z } from 'zod';
import { defineNode } from '../../../engine/node.ts';
import { figure, many, table } from '../../../engine/ports.ts';
import { columnsTable, numericColumn } from '../../../engine/table.ts';
import { renderFigure } from '../../plots/index.ts';
import { axisStyle, metaOf } from './common.ts';

const LABEL: Record<string, string> = { 'fast-only': 'Fast feature', 'slow-only': 'Slow feature', both: 'Both features' };

/** Fig. 1: the analytic curve with only the fast block, only the slow block, and both. */
export const figure1Node = defineNode({
  name: 'teacher-student/figure-1',
  version: 1,
  module: import.meta.url,
  params: z.object({}),
  inputs: { curves: many(table) },
  output: figure,
  async run(ctx) {
    const panel: string[] = [], series: string[] = [], t1: number[] = [], EG: number[] = [];
    let meta: Record<string, unknown> = {};
    for (const { value } of ctx.inputs.curves) {
      const m = metaOf(value);
      meta = m;
      const variant = String(m.variant ?? 'both');
      const t = numericColumn(value, 't'), eg = numericColumn(value, 'EG');
      for (let i = 0; i < t.length; i++) {
        if (t[i]! + 1 > 1e5 * 1.0001) continue;
        panel.push(variant === 'both' ? 'both' : 'separate');
        series.push(LABEL[variant] ?? variant);
        t1.push(t[i]! + 1);
        EG.push(eg[i]!);
      }
    }
    const caption = `Fig. 1 (thesis ch. 4): analytic E_G(t) (eqs. 4.2.11–4.2.16, n=${meta.n}, d=${meta.d}, p=${meta.p}, κ=${meta.kappa}, σ=${meta.sigma}, λ=${meta.lambda}). Top: only the fast or only the slow features; bottom: both, whose sum of two U-shapes is an epoch-wise double descent.`;
    const data = columnsTable({ panel, series, t1, EG }, { figure: 'fig1', params: meta, EGForm: 'thesis ½(1 + σ² − 2R + Q)' });
    const x = { field: 't1', type: 'quantitative', title: 'Training time t + 1', scale: { type: 'log', domain: [1, 1e5] }, axis: axisStyle };
    const y = { field: 'EG', type: 'quantitative', title: 'MSE generalization error', scale: { domain: [0, 0.5] }, axis: axisStyle };
    const spec = {
      vconcat: [
        { transform: [{ filter: "datum.panel === 'separate'" }], mark: { type: 'line', strokeWidth: 2.2, clip: true }, encoding: { x, y, color: { field: 'series', type: 'nominal', title: null, scale: { domain: ['Fast feature', 'Slow feature'], range: ['#0076BA', '#FF9300'] } } } },
        { transform: [{ filter: "datum.panel === 'both'" }], mark: { type: 'line', strokeWidth: 2.2, clip: true, color: '#353535' }, encoding: { x, y } },
      ],
      resolve: { scale: { color: 'independent' } },
    };
    return renderFigure({ spec, table: data, caption, width: 420, height: 200 });
  },
});
