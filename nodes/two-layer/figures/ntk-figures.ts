/**
 * Figure (d): the NTK regime — bias, variance and risk of the trained network against the init
 * scale s, points per γ₂ (they coincide: no dependence on γ₂), beside the ridge formula with
 * μ(s) = γ₁Var φ′(sz)/(E φ′(sz))². Figure (e): empirical NTK entries at init against b₀XXᵀ + b₁I.
 */
import { z } from 'zod';
import { defineNode } from '../../../engine/node.ts';
import { figure, many, table } from '../../../engine/ports.ts';
import { columnsTable, tableMetadata } from '../../../engine/table.ts';
import { renderFigure, tableRows } from '../../plots/index.ts';
import { ntkCoefficients } from '../ntk-coefficients.ts';
import { ridgeRisk } from '../ridge-risk.ts';
import { axisStyle, gatheredRows, LongColumns, PALETTE, panelLayers } from './common.ts';

const PARTS = ['bias', 'variance', 'risk'] as const;

export const ntkRegimeFigure = defineNode({
  name: 'two-layer/figure-ntk-regime',
  version: 1,
  description: 'figure (d): NTK-regime bias, variance, risk against the init scale s, simulation beside the ridge formula',
  module: import.meta.url,
  params: z.object({ r: z.number().min(0).default(1), sigma: z.number().min(0).default(0.5) }),
  inputs: { cells: many(table) },
  output: figure,
  async run(ctx) {
    const rows = gatheredRows(ctx.inputs.cells);
    const num = (r: Record<string, unknown>, k: string) => Number(r[k]);
    const n = num(rows[0]!, 'n'), d = num(rows[0]!, 'd'), draws = num(rows[0]!, 'draws');
    const g2s = [...new Set(rows.map((r) => num(r, 'gamma2')))].sort((a, b) => a - b);
    const ss = rows.map((r) => num(r, 's'));
    const cols = new LongColumns();
    for (const r of rows) for (const p of PARTS) cols.push(p, `γ₂ = ${num(r, 'gamma2')}`, 'simulation', num(r, 's'), num(r, p), num(r, `${p}Sem`));
    const sMin = Math.min(...ss) * 0.8, sMax = Math.max(...ss) * 1.1;
    for (let i = 0; i <= 80; i++) {
      const s = sMin * (sMax / sMin) ** (i / 80);
      const t = ridgeRisk({ gamma: d / n, mu: ntkCoefficients({ s, gamma1: d / n }).mu!, r: ctx.params.r, sigma: ctx.params.sigma });
      for (const p of PARTS) cols.push(p, 'ridge formula', 'theory', s, t[p]);
    }
    const meta = tableMetadata(ctx.inputs.cells[0]!.value) as { assumed: Record<string, string> };
    const caption =
      `(d) First layer trained by GD from non-vanishing initialisation (${meta.assumed.init}), sigmoid; n = ${n}, d = ${d} (γ₁ = ${d / n}), ${draws} draws per point (mean ± 2 SE), ${meta.assumed.step}. ` +
      `Line: ridge regression with μ(s) = γ₁ Var φ′(sz)/(E φ′(sz))² (Gauss–Hermite). Larger init: higher bias, lower variance; the points for γ₂ ∈ {${g2s.join(', ')}} coincide (no dependence on γ₂). Bias/variance: ${meta.assumed.biasVariance}.`;
    const data = columnsTable(cols.columns(), { figure: 'two-layer (d)', n, d, draws, gamma2: g2s, r: ctx.params.r, sigma: ctx.params.sigma, cells: meta });
    const series = [...g2s.map((g) => `γ₂ = ${g}`), 'ridge formula'];
    const color = { field: 'series', type: 'nominal', title: null, scale: { domain: series, range: [...PALETTE.slice(0, g2s.length), '#555555'] } };
    const yMax = { bias: 0.4, variance: 0.4, risk: 0.6 };
    const panels = PARTS.map((p) => ({ title: p, ...panelLayers({ panel: p, xTitle: 'init scale s (w ~ N(0, s²I/d))', yTitle: p, yDomain: [0, yMax[p]], xLog: false, color }) }));
    return renderFigure({ spec: { hconcat: panels, config: { legend: { orient: 'bottom', direction: 'horizontal' } } }, table: data, caption, width: 230, height: 220 });
  },
});

export const empiricalKernelFigure = defineNode({
  name: 'two-layer/figure-empirical-kernel',
  version: 1,
  description: 'figure (e): empirical NTK entries at init against b₀XXᵀ + b₁I, one panel per (h, s)',
  module: import.meta.url,
  params: z.object({}),
  inputs: { kernels: many(table) },
  output: figure,
  async run(ctx) {
    const cols = { cell: [] as string[], entry: [] as string[], predicted: [] as number[], empirical: [] as number[] };
    const metas = ctx.inputs.kernels.map((v) => tableMetadata(v.value) as { s: number; h: number; n: number; d: number; relativeError: number; diagonalError: number; offDiagonalError: number });
    const label = (m: (typeof metas)[number]) => `h = ${m.h}, s = ${m.s}: ‖K − K̂‖/‖K‖ = ${(100 * m.relativeError).toFixed(1)} %`;
    const order = [...metas].sort((a, b) => a.h - b.h || a.s - b.s).map(label);
    ctx.inputs.kernels.forEach((v, i) => {
      for (const r of tableRows(v.value)) {
        cols.cell.push(label(metas[i]!));
        cols.entry.push(String(r.entry));
        cols.predicted.push(Number(r.predicted));
        cols.empirical.push(Number(r.empirical));
      }
    });
    const m0 = metas[0]!;
    const caption =
      `(e) Empirical NTK of the first layer at initialisation, K = (Φ′diag(a²)Φ′ᵀ) ∘ XXᵀ (sigmoid, w ~ N(0, s²I/d), a = ±1/√h doubled), against b₀XXᵀ + b₁I with b₀ = (E φ′(sz))², b₁ = d·Var φ′(sz); n = ${m0.n}, d = ${m0.d}; all diagonal entries and a random sample of off-diagonal ones; grey: y = x. ` +
      'Relative Frobenius errors in the panel titles (diagonal / off-diagonal in the table metadata); they shrink as h grows.';
    const data = columnsTable(cols, { figure: 'two-layer (e)', kernels: metas });
    const x = { field: 'predicted', type: 'quantitative', title: 'b₀XXᵀ + b₁I', axis: axisStyle };
    const spec = {
      facet: { field: 'cell', type: 'nominal', title: null, sort: order },
      columns: 3,
      resolve: { scale: { x: 'independent', y: 'independent' } },
      spec: {
        layer: [
          { mark: { type: 'line', color: '#999', strokeWidth: 1 }, encoding: { x, y: { field: 'predicted', type: 'quantitative' } } },
          { mark: { type: 'point', filled: true, size: 9, opacity: 0.6 }, encoding: { x, y: { field: 'empirical', type: 'quantitative', title: 'empirical K', axis: axisStyle }, color: { field: 'entry', type: 'nominal', title: null, scale: { range: [PALETTE[3], PALETTE[0]] } } } },
        ],
      },
      config: { legend: { orient: 'bottom', direction: 'horizontal' }, header: { labelLimit: 400 } },
    };
    return renderFigure({ spec, table: data, caption, width: 230, height: 200 });
  },
});
