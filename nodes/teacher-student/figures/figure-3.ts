import { z } from 'zod';
import type { Table } from 'apache-arrow';
import { defineNode } from '../../../engine/node.ts';
import { figure, many, table } from '../../../engine/ports.ts';
import { columnsTable, numericColumn } from '../../../engine/table.ts';
import { renderFigure } from '../../plots/index.ts';
import { axisStyle, groupBy, kappaLabel, metaOf, PALETTE, sourceValues, statsOverSeeds } from './common.ts';

/** Where the thesis text and the authors' code disagree for Fig. 3 (default: the code). */
export const FIG3_SOURCES = { p: { thesis: 50, code: 60 } };

/**
 * Fig. 3. Left: closed-form GD (mean ± one std over seeds) against the exact curve of eqs.
 * 4.2.9–4.2.10 (mean over the same draws). Right: the ridge proxy against the analytic curve.
 */
export const figure3Node = defineNode({
  name: 'teacher-student/figure-3',
  version: 1,
  module: import.meta.url,
  params: z.object({}),
  inputs: { gd: many(table), exact: many(table), ridge: many(table), analytic: many(table) },
  output: figure,
  async run(ctx) {
    const byKappa = (values: typeof ctx.inputs.gd) => groupBy(values, (v) => Number(metaOf(v.value).kappa));
    const gd = byKappa(ctx.inputs.gd), exact = byKappa(ctx.inputs.exact), ridge = byKappa(ctx.inputs.ridge), analytic = byKappa(ctx.inputs.analytic);
    const kappas = [...gd.keys()].map(Number).sort((a, b) => a - b);
    const cols = { panel: [] as string[], kappa: [] as string[], source: [] as string[], t1: [] as number[], mean: [] as number[], lo: [] as number[], hi: [] as number[] };
    const push = (panel: string, k: number, source: string, t: ArrayLike<number>, mean: ArrayLike<number>, std?: ArrayLike<number>) => {
      for (let i = 0; i < t.length; i++) {
        cols.panel.push(panel);
        cols.kappa.push(kappaLabel(k));
        cols.source.push(source);
        cols.t1.push(t[i]! + 1);
        cols.mean.push(mean[i]!);
        cols.lo.push(std ? mean[i]! - std[i]! : Number.NaN);
        cols.hi.push(std ? mean[i]! + std[i]! : Number.NaN);
      }
    };
    let seeds = 0;
    for (const k of kappas) {
      const g = statsOverSeeds(gd.get(k)!, 't', 'testError');
      seeds = g.count;
      push('left', k, 'Gradient descent', g.x, g.mean, g.std);
      const e = statsOverSeeds(exact.get(k) ?? [], 't', 'EG');
      push('left', k, 'Analytical (eqs. 4.2.9–10)', e.x, e.mean);
      const r = statsOverSeeds(ridge.get(k)!, 't', 'testError');
      push('right', k, 'Ridge regression', r.x, r.mean, r.std);
      const a: Table | undefined = analytic.get(k)?.[0];
      if (a) push('right', k, 'Analytical (eqs. 4.2.14–15)', numericColumn(a, 't'), numericColumn(a, 'EG'));
    }
    const m0 = metaOf(ctx.inputs.gd[0]!.value);
    const am = ctx.inputs.analytic[0] ? metaOf(ctx.inputs.analytic[0].value) : {};
    const used = { n: m0.n, d: m0.d, p: am.p ?? m0.p, sigma: m0.sigma, lambda: m0.lambda };
    const caption =
      `Fig. 3 (thesis ch. 4), n=${used.n}, d=${used.d}, p=${used.p}, σ=${used.sigma}, λ=${used.lambda}, κ ∈ {${kappas.join(', ')}}. ` +
      `Left: closed-form gradient descent, test error ½·mean (xᵀŵ − y*)², dashed: mean ± one standard deviation over ${seeds} seeds; solid: exact eqs. 4.2.9–4.2.10 averaged over the same ${seeds} draws. ` +
      `Right: ridge proxy ŵ = (XᵀX + 2(λ + 1/t)I)⁻¹Xᵀy, mean ± one standard deviation over ${seeds} seeds, against the analytic eqs. 4.2.14–4.2.15.`;
    const data = columnsTable(cols, {
      figure: 'fig3',
      seeds,
      paperSeeds: 100,
      reduced: seeds < 100 ? `${seeds} seeds instead of the paper's 100 (run --profile paper for 100)` : null,
      used,
      sources: sourceValues(used, FIG3_SOURCES),
      band: 'mean ± one standard deviation (population std) over seeds; the authors\' figure code draws ± 0.25·std of the MSE, i.e. ± ½ std of ½·MSE',
    });
    const color = { field: 'kappa', type: 'nominal', title: null, sort: kappas.map(kappaLabel), scale: { range: PALETTE } };
    const panel = (which: string, xTitle: string, simulated: string) => ({
      transform: [{ filter: `datum.panel === '${which}'` }],
      layer: [
        { transform: [{ filter: `datum.source === '${simulated}'` }], mark: { type: 'area', opacity: 0.2, clip: true }, encoding: { x: xEnc(xTitle), y: { field: 'lo', type: 'quantitative', scale: { domain: [0, 0.5] }, title: 'MSE generalization error', axis: axisStyle }, y2: { field: 'hi' }, color } },
        { mark: { type: 'line', strokeWidth: 2.2, clip: true }, encoding: { x: xEnc(xTitle), y: { field: 'mean', type: 'quantitative', scale: { domain: [0, 0.5] } }, color, strokeDash: { field: 'source', type: 'nominal', title: null, scale: { domain: [simulated, which === 'left' ? 'Analytical (eqs. 4.2.9–10)' : 'Analytical (eqs. 4.2.14–15)'], range: [[6, 4], [1, 0]] } }, detail: { field: 'source' } } },
      ],
    });
    const spec = {
      hconcat: [panel('left', 'Training time t', 'Gradient descent'), panel('right', 'Inverse ridge coefficient 1/λ', 'Ridge regression')],
      resolve: { scale: { strokeDash: 'independent' } },
      config: { legend: { orient: 'bottom', direction: 'horizontal', labelLimit: 400 } },
    };
    return renderFigure({ spec, table: data, caption, width: 380, height: 260 });
  },
});

function xEnc(title: string) {
  return { field: 't1', type: 'quantitative', title, scale: { type: 'log', domain: [1, 1e6] }, axis: { ...axisStyle, format: '.0e' } };
}
