import { z } from 'zod';
import { defineNode } from '../../../engine/node.ts';
import { figure, many, table } from '../../../engine/ports.ts';
import { columnsTable, numericColumn } from '../../../engine/table.ts';
import { renderFigure } from '../../plots/index.ts';
import { axisStyle, metaOf, sourceValues } from './common.ts';

/** Where the thesis text and the authors' code disagree for Fig. 5c,d (default: the code). */
export const FIG5_SOURCES = { kappa: { thesis: 100, code: 40 } };

/**
 * Fig. 5c,d: the analytic E_G over (training time t, regularisation λ) as a heat-map, and three
 * slices (large, intermediate, small λ) against t.
 */
export const figure5Node = defineNode({
  name: 'teacher-student/figure-5',
  version: 1,
  module: import.meta.url,
  params: z.object({
    /** ℓ = −log10 λ of the three slices; the authors' code takes grid indices 10, 30 and the last of ℓ ∈ linspace(0.1, 8, 100) */
    sliceEll: z.array(z.number()).length(3).default([0.1 + (7.9 * 10) / 99, 0.1 + (7.9 * 30) / 99, 8]),
    tMin: z.number().positive().default(1),
    tMax: z.number().positive().default(1e4),
  }),
  inputs: { curves: many(table) },
  output: figure,
  async run(ctx) {
    const { sliceEll, tMin, tMax } = ctx.params;
    const curves = [...ctx.inputs.curves].map((c) => ({ table: c.value, ell: -Math.log10(Number(metaOf(c.value).lambda)) })).sort((a, b) => a.ell - b.ell);
    const ells = curves.map((c) => c.ell);
    const cols = { layer: [] as string[], series: [] as string[], ell: [] as number[], ell2: [] as number[], t: [] as number[], t2: [] as number[], EG: [] as number[] };
    const row = (layer: string, series: string, ell: number, ell2: number, t: number, t2: number, EG: number) => {
      cols.layer.push(layer); cols.series.push(series); cols.ell.push(ell); cols.ell2.push(ell2); cols.t.push(t); cols.t2.push(t2); cols.EG.push(EG);
    };
    const edges = (xs: number[], geometric: boolean) => {
      const mid = (a: number, b: number) => (geometric ? Math.sqrt(a * b) : (a + b) / 2);
      const e = xs.map((x, i) => (i === 0 ? (xs.length > 1 ? (geometric ? x / Math.sqrt(xs[1]! / x) : x - (xs[1]! - x) / 2) : x) : mid(xs[i - 1]!, x)));
      const last = xs[xs.length - 1]!;
      e.push(xs.length > 1 ? (geometric ? last * Math.sqrt(last / xs[xs.length - 2]!) : last + (last - xs[xs.length - 2]!) / 2) : last);
      return e;
    };
    const ellEdges = edges(ells, false);
    curves.forEach((c, k) => {
      const t = Array.from(numericColumn(c.table, 't')), E = numericColumn(c.table, 'EG');
      const keep = t.map((v, i) => i).filter((i) => t[i]! >= tMin * 0.999 && t[i]! <= tMax * 1.001);
      const tk = keep.map((i) => t[i]!);
      const tEdges = edges(tk, true);
      // each cell reaches half a cell up and right, under the cells drawn after it (ascending ℓ,
      // then t): seams from anti-aliasing at shared edges disappear, every cell keeps its place
      keep.forEach((i, j) => {
        const dl = 0.5 * (ellEdges[k + 1]! - ellEdges[k]!), ft = (tEdges[j + 1]! / tEdges[j]!) ** 0.5;
        row('heat', '', ellEdges[k]!, ellEdges[k + 1]! + dl, tEdges[j]!, tEdges[j + 1]! * ft, E[i]!);
      });
    });
    const names = ['Large λ', 'Intermediate λ', 'Small λ'];
    const chosen: number[] = [];
    const seriesNames: string[] = [];
    sliceEll.forEach((target, s) => {
      let best = 0;
      ells.forEach((e, i) => { if (Math.abs(e - target) < Math.abs(ells[best]! - target)) best = i; });
      chosen.push(ells[best]!);
      seriesNames.push(`${names[s]} (λ=10^−${ells[best]!.toFixed(2)})`);
      const c = curves[best]!;
      const t = numericColumn(c.table, 't'), E = numericColumn(c.table, 'EG');
      for (let i = 0; i < t.length; i++) if (t[i]! >= tMin * 0.999 && t[i]! <= tMax * 1.001) row('slice', seriesNames[s]!, ells[best]!, Number.NaN, t[i]!, Number.NaN, E[i]!);
    });
    const m0 = metaOf(curves[0]!.table);
    const used = { n: m0.n, d: m0.d, p: m0.p, kappa: m0.kappa, sigma: m0.sigma };
    const caption = `Fig. 5c,d (thesis ch. 4): analytic E_G (eqs. 4.2.11–4.2.16), n=${used.n}, d=${used.d}, p=${used.p}, κ=${used.kappa}, σ=${used.sigma}, over t ∈ [${tMin}, ${tMax}] and ${curves.length} values of λ = 10^−ℓ, ℓ ∈ [${ells[0]!.toFixed(2)}, ${ells[ells.length - 1]!.toFixed(2)}]. Right: slices at ℓ = ${chosen.map((e) => e.toFixed(2)).join(', ')}: large λ stops learning early (a classical U), small λ shows the epoch-wise double descent.`;
    const data = columnsTable(cols, { figure: 'fig5cd', used, lambdas: curves.length, sliceEll: chosen, sources: sourceValues(used, FIG5_SOURCES) });
    const spec = {
      hconcat: [
        {
          transform: [{ filter: "datum.layer === 'heat'" }],
          mark: { type: 'rect', clip: true },
          encoding: {
            x: { field: 'ell', type: 'quantitative', title: 'Regularization strength λ = 10^−ℓ (ℓ)', scale: { nice: false, zero: false, domain: [ellEdges[0]!, ellEdges[ellEdges.length - 1]!] }, axis: { values: [1, 2, 3, 4, 5, 6, 7, 8], labelExpr: "'1e-' + format(datum.value, '.0f')" } },
            x2: { field: 'ell2' },
            y: { field: 't', type: 'quantitative', title: 'Training time t', scale: { type: 'log', nice: false, domain: [tMin, tMax] }, axis: { format: '.0e' } },
            y2: { field: 't2' },
            fill: { field: 'EG', type: 'quantitative', title: 'E_G', scale: { scheme: 'viridis', domain: [0.2, 0.45], clamp: true } },
          },
          width: 520,
          height: 280,
        },
        {
          transform: [{ filter: "datum.layer === 'slice'" }],
          mark: { type: 'line', strokeWidth: 2.2 },
          encoding: {
            x: { field: 't', type: 'quantitative', title: 'Training time t', scale: { type: 'log', domain: [tMin, tMax] }, axis: { ...axisStyle, format: '.0e' } },
            y: { field: 'EG', type: 'quantitative', title: 'MSE generalization error', scale: { domain: [0.15, 0.5] }, axis: axisStyle },
            color: { field: 'series', type: 'nominal', title: null, sort: seriesNames, scale: { domain: seriesNames, range: ['#1f77b4', '#ff7f0e', '#2ca02c'] } },
          },
          width: 260,
          height: 280,
        },
      ],
      resolve: { scale: { color: 'independent' } },
      config: { legend: { labelLimit: 400 } },
    };
    return renderFigure({ spec, table: data, caption });
  },
});
