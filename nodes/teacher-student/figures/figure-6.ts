import { z } from 'zod';
import { defineNode } from '../../../engine/node.ts';
import { figure, many, table } from '../../../engine/ports.ts';
import { columnsTable } from '../../../engine/table.ts';
import { renderFigure } from '../../plots/index.ts';
import { axisStyle, groupBy, metaOf, statsOverSeeds } from './common.ts';

/** Fig. 6: plain GD against GD with the Q-regulariser (decaying α_i), mean ± one std over seeds. */
export const figure6Node = defineNode({
  name: 'teacher-student/figure-6',
  version: 1,
  module: import.meta.url,
  params: z.object({}),
  inputs: { curves: many(table) },
  output: figure,
  async run(ctx) {
    const byPenalty = groupBy(ctx.inputs.curves, (v) => String(metaOf(v.value).penalty));
    const label: Record<string, string> = { none: 'w/o regularization', q: 'w/ Q regularization' };
    const cols = { series: [] as string[], step: [] as number[], mean: [] as number[], lo: [] as number[], hi: [] as number[] };
    let seeds = 0;
    const metas: Record<string, unknown> = {};
    for (const penalty of ['none', 'q']) {
      const tables = byPenalty.get(penalty);
      if (!tables) continue;
      metas[penalty] = metaOf(tables[0]!);
      const s = statsOverSeeds(tables, 'step', 'testError');
      seeds = s.count;
      for (let i = 0; i < s.x.length; i++) {
        if (s.x[i]! < 1) continue;
        cols.series.push(label[penalty]!);
        cols.step.push(s.x[i]!);
        cols.mean.push(s.mean[i]!);
        cols.lo.push(s.mean[i]! - s.std[i]!);
        cols.hi.push(s.mean[i]! + s.std[i]!);
      }
    }
    const m = (metas.q ?? metas.none ?? {}) as Record<string, unknown>;
    const caption = `Fig. 6 (thesis ch. 4, linear teacher–student panel): explicit GD (η = 1/l_max, ${m.steps} steps, n=${m.n}, d=${m.d}, p=${m.p}, κ=${m.kappa}) without and with the Q-regulariser (α_i/2)‖Xŵ‖², ${m.penaltyForm ?? ''}. Test error ½·mean (xᵀŵ − y*)², mean ± one standard deviation over ${seeds} seeds. The penalty flattens the first bump (steps ≈ 30–1000) and ends where plain GD ends.`;
    const data = columnsTable(cols, { figure: 'fig6', seeds, paperSeeds: 100, paperSteps: 100_000, reduced: seeds < 100 ? `${seeds} seeds instead of the paper's 100 (run --profile paper for 100)` : null, runs: metas });
    const x = { field: 'step', type: 'quantitative', title: 'Training time (GD steps)', scale: { type: 'log', domain: [1, Number(m.steps ?? 1e5)] }, axis: { ...axisStyle, format: '.0e' } };
    const color = { field: 'series', type: 'nominal', title: null, scale: { domain: [label.none, label.q], range: ['#1f77b4', '#ff7f0e'] } };
    const spec = {
      title: 'Linear teacher–student model',
      layer: [
        { mark: { type: 'area', opacity: 0.2, clip: true }, encoding: { x, y: { field: 'lo', type: 'quantitative', title: 'MSE generalization error', scale: { domain: [0, 0.5] }, axis: axisStyle }, y2: { field: 'hi' }, color } },
        { mark: { type: 'line', strokeWidth: 2.2, clip: true }, encoding: { x, y: { field: 'mean', type: 'quantitative' }, color } },
      ],
      config: { legend: { orient: 'top-right', labelLimit: 300 } },
    };
    return renderFigure({ spec, table: data, caption, width: 460, height: 300 });
  },
});
