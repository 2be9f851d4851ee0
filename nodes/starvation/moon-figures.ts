/**
 * The two-moon figures: one heat-map panel per run (the seed-averaged decision function, the zero
 * contour, one seed's points), as thesis Fig. 1 a–c and appendix Fig. 2; and the margins table.
 */
import { z } from 'zod';
import type { Table } from 'apache-arrow';
import { defineNode } from '../../engine/node.ts';
import { figure, many, table, type GatheredValue } from '../../engine/ports.ts';
import { columnsTable, tableMetadata } from '../../engine/table.ts';
import { renderFigure } from '../plots/index.ts';
import { zeroContour } from './contour.ts';
import type { MoonSummaryMeta } from './moon-summary.ts';

/** logits beyond ±COLOR_CLAMP share the end colours */
const COLOR_CLAMP = 4;

function ordered(summaries: readonly GatheredValue<Table>[]): { meta: MoonSummaryMeta; t: Table }[] {
  return summaries.map((s) => ({ meta: tableMetadata(s.value) as MoonSummaryMeta, t: s.value })).sort((a, b) => a.meta.run.localeCompare(b.meta.run));
}

/** cells as rectangles, the contour as segments, the points: one long table with a `kind` column */
function panelRows(meta: MoonSummaryMeta, t: Table, rows: Record<string, (string | number)[]>): void {
  const kind = t.getChild('kind')!.toArray() as string[];
  const x0 = t.getChild('x0')!.toArray() as Float64Array, x1 = t.getChild('x1')!.toArray() as Float64Array, v = t.getChild('value')!.toArray() as Float64Array;
  const n = meta.gridSize, cells = n * n;
  const axis = Float64Array.from({ length: n }, (_, j) => x0[j]!);
  // cells overlap by 2 %: abutting rectangles leave anti-aliasing seams in the raster
  const half = ((axis[1]! - axis[0]!) / 2) * 1.02;
  const push = (r: Record<string, string | number>) => { for (const k of Object.keys(rows)) rows[k]!.push(r[k] ?? 0); };
  const panel = `(${meta.run}) ${meta.title}`;
  for (let k = 0; k < cells; k++) push({ panel, kind: 'cell', a0: x0[k]! - half, a1: x1[k]! - half, b0: x0[k]! + half, b1: x1[k]! + half, value: Math.max(-COLOR_CLAMP, Math.min(COLOR_CLAMP, v[k]!)) });
  const seg = zeroContour({ axis, values: v.subarray(0, cells) });
  for (let s = 0; s < seg.length; s += 4) push({ panel, kind: 'contour', a0: seg[s]!, a1: seg[s + 1]!, b0: seg[s + 2]!, b1: seg[s + 3]!, value: 0 });
  for (let k = cells; k < kind.length; k++) push({ panel, kind: 'point', a0: x0[k]!, a1: x1[k]!, b0: x0[k]!, b1: x1[k]!, value: v[k]! });
}

const heatLayers = (extent: number) => {
  const x = { field: 'a0', type: 'quantitative', scale: { domain: [-extent, extent], nice: false }, title: 'x₀' };
  const y = { field: 'a1', type: 'quantitative', scale: { domain: [-extent, extent], nice: false }, title: 'x₁' };
  return [
    { transform: [{ filter: "datum.kind === 'cell'" }], mark: { type: 'rect' }, encoding: { x, y, x2: { field: 'b0' }, y2: { field: 'b1' }, color: { field: 'value', type: 'quantitative', scale: { scheme: 'redblue', domain: [-COLOR_CLAMP, COLOR_CLAMP], reverse: true }, title: 'f(x), averaged' } } },
    { transform: [{ filter: "datum.kind === 'contour'" }], mark: { type: 'rule', color: 'black', strokeWidth: 1.5 }, encoding: { x, y, x2: { field: 'b0' }, y2: { field: 'b1' } } },
    { transform: [{ filter: "datum.kind === 'point'" }], mark: { type: 'point', filled: true, size: 14, stroke: 'white', strokeWidth: 0.4, opacity: 1 }, encoding: { x, y, fill: { condition: { test: 'datum.value > 0', value: '#b2182b' }, value: '#2166ac' } } },
  ];
};

export const moonHeatmapFigure = defineNode({
  name: 'starvation/moon-heatmap-figure',
  version: 1,
  description: 'one heat-map panel per two-moon run: seed-averaged decision function, zero contour, one seed\'s points',
  module: import.meta.url,
  params: z.object({ title: z.string().min(1), columns: z.number().int().min(1).default(3), extent: z.number().positive().default(2) }),
  inputs: { runs: many(table) },
  output: figure,
  async run(ctx) {
    const runs = ordered(ctx.inputs.runs);
    const rows: Record<string, (string | number)[]> = { panel: [], kind: [], a0: [], a1: [], b0: [], b1: [], value: [] };
    for (const r of runs) panelRows(r.meta, r.t, rows);
    const data = columnsTable(rows as Record<string, number[] | string[]>, { figure: ctx.params.title, runs: runs.map((r) => r.meta) });
    const spec = {
      title: ctx.params.title,
      facet: { field: 'panel', type: 'nominal', title: null, sort: runs.map((r) => `(${r.meta.run}) ${r.meta.title}`) },
      columns: ctx.params.columns,
      spec: { width: 220, height: 220, layer: heatLayers(ctx.params.extent) },
    };
    const seeds = [...new Set(runs.map((r) => r.meta.seeds))].join('/');
    const caption = `${ctx.params.title}: decision function f averaged over ${seeds} seed(s) on a ${runs[0]?.meta.gridSize ?? 0}² grid (colour clamped at ±${COLOR_CLAMP}), its zero contour (black), and the first seed's training points (red: y = +1, blue: y = −1).`;
    return renderFigure({ spec, table: data, caption });
  },
});

export const moonMarginsTable = defineNode({
  name: 'starvation/moon-margins-table',
  version: 1,
  description: 'per run: training accuracy, minimum input-space margin, functional margin, curvature proxy (mean ± std over seeds)',
  module: import.meta.url,
  params: z.object({}),
  inputs: { runs: many(table) },
  output: table,
  run(ctx) {
    const runs = ordered(ctx.inputs.runs).map((r) => r.meta);
    const col = (f: (m: MoonSummaryMeta) => number | null) => runs.map((m) => f(m) ?? NaN);
    return columnsTable(
      {
        run: runs.map((m) => m.run),
        title: runs.map((m) => m.title),
        seeds: runs.map((m) => m.seeds),
        trainAccuracy: col((m) => m.trainAccuracy.mean),
        minMargin: col((m) => m.minMargin.mean),
        minMarginStd: col((m) => m.minMargin.std),
        functionalMargin: col((m) => m.functionalMargin.mean),
        functionalMarginStd: col((m) => m.functionalMargin.std),
        curvatureProxy: col((m) => m.curvatureProxy),
        referenceMinMargin: col((m) => m.referenceMinMargin),
      },
      { runs: runs.map((m) => ({ run: m.run, title: m.title, perSeed: m.perSeed })), referenceMinMargin: 'independent torch re-runs of the authors\' setup, 10 seeds (shared/science/gradient-starvation.md)', curvatureProxy: 'share of the plotting grid where sign f (seed-averaged) differs from sign(−x₀) in the data\'s unrotated frame', minMargin: 'per seed: distance from the training points to the zero contour of f on the margin grid; then averaged', functionalMargin: 'per seed: min_i y_i f(x_i); then averaged' },
    );
  },
});
