/**
 * The study's figures: final test accuracy against α (log axis, mean ± std band over seeds,
 * α = 0 drawn as a diamond left of the axis' first value), one per width; sparsity against α;
 * and both penalty forms side by side, where the recovery at large α shows up only for the
 * notebook's matrix norm.
 */
import { z } from 'zod';
import { defineNode } from '../../engine/node.ts';
import { figure, table } from '../../engine/ports.ts';
import { columnsTable, tableMetadata } from '../../engine/table.ts';
import { renderFigure, type VegaLiteSpec } from '../plots/index.ts';
import { curvePoints, type CurvePoint } from './sweep-curve.ts';

const FORM_ORDER = ['notebook', 'elementwise'] as const;

/** where α = 0 sits on the log axis: a factor below the smallest positive α */
const ZERO_OFFSET = 4;

function plotTable(points: readonly CurvePoint[], metadata: unknown) {
  const positive = points.map((p) => p.alpha).filter((a) => a > 0);
  const zeroAt = (positive.length > 0 ? Math.min(...positive) : 1) / ZERO_OFFSET;
  return columnsTable(
    {
      l1Form: points.map((p) => p.l1Form),
      width: points.map((p) => p.width),
      alpha: points.map((p) => p.alpha),
      alphaPlot: points.map((p) => (p.alpha > 0 ? p.alpha : zeroAt)),
      seeds: points.map((p) => p.seeds),
      accuracyMean: points.map((p) => p.accuracyMean),
      accuracyLow: points.map((p) => p.accuracyMean - p.accuracyStd),
      accuracyHigh: points.map((p) => p.accuracyMean + p.accuracyStd),
      sparsityMean: points.map((p) => p.sparsityMean),
      sparsityLow: points.map((p) => p.sparsityMean - p.sparsityStd),
      sparsityHigh: points.map((p) => p.sparsityMean + p.sparsityStd),
    },
    { ...(metadata as object), alphaZeroPlottedAt: zeroAt },
  );
}

interface LayerOptions {
  readonly y: 'accuracy' | 'sparsity';
  readonly color: { field: string; title: string; type: 'nominal' | 'ordinal'; sort?: string | readonly string[] };
}

function curveLayers(o: LayerOptions): VegaLiteSpec[] {
  const yTitle = o.y === 'accuracy' ? 'Final test accuracy' : 'Fraction of weights with |w| < threshold';
  const x = { field: 'alphaPlot', type: 'quantitative', scale: { type: 'log' }, title: 'L1 coefficient α (log scale; ◆ at the left: α = 0)' };
  const y = { field: `${o.y}Mean`, type: 'quantitative', scale: { domain: [0, 1] }, title: yTitle };
  const color = { ...o.color, legend: { orient: 'bottom', symbolOpacity: 1 } };
  const positive = { filter: 'datum.alpha > 0' };
  const zero = { filter: 'datum.alpha === 0' };
  const layers: VegaLiteSpec[] = [
    { transform: [positive], mark: { type: 'area', opacity: 0.18 }, encoding: { x, y: { field: `${o.y}Low`, type: 'quantitative' }, y2: { field: `${o.y}High` }, color } },
    { transform: [positive], mark: { type: 'line', point: true, strokeWidth: 2 }, encoding: { x, y, color } },
    { transform: [zero], mark: { type: 'rule', strokeWidth: 1.5 }, encoding: { x, y: { field: `${o.y}Low`, type: 'quantitative' }, y2: { field: `${o.y}High` }, color } },
    { transform: [zero], mark: { type: 'point', shape: 'diamond', filled: true, size: 110 }, encoding: { x, y, color } },
  ];
  if (o.y === 'accuracy') {
    layers.push({ mark: { type: 'rule', strokeDash: [4, 4], color: '#888' }, encoding: { y: { datum: 0.1 } } });
  }
  return layers;
}

function caption(meta: Record<string, unknown>, what: string): string {
  const seeds = meta.seedsPerPoint ? `, ${meta.seedsPerPoint} seed(s) per point (mean ± sample std)` : '';
  return `Sparse double descent (Zhang): ${what}. MLP 784→k→10, cross-entropy + α·L1, plain subgradient SGD, lr ${meta.lr}, batch ${meta.batchSize}, ${meta.epochs} epochs, ${meta.trainCount} train / ${meta.testCount} test MNIST digits${seeds}.`;
}

function metaWithSeeds(t: import('apache-arrow').Table, points: readonly CurvePoint[]): Record<string, unknown> {
  const seeds = [...new Set(points.map((p) => p.seeds))];
  return { ...((tableMetadata(t) as Record<string, unknown>) ?? {}), seedsPerPoint: seeds.join('/') };
}

export const accuracyFigure = defineNode({
  name: 'sparse/accuracy-figure',
  version: 1,
  description: 'final test accuracy against α for one width, every penalty form present',
  module: import.meta.url,
  params: z.object({ width: z.number().int().min(1, 'width must be at least 1') }),
  inputs: { runs: table },
  output: figure,
  async run(ctx) {
    const points = curvePoints(ctx.inputs.runs).filter((p) => p.width === ctx.params.width);
    if (points.length === 0) throw new Error(`sparse/accuracy-figure: no runs of width ${ctx.params.width}`);
    const meta = metaWithSeeds(ctx.inputs.runs, points);
    const data = plotTable(points, { ...meta, figure: `accuracy against α, width ${ctx.params.width}` });
    const spec = { title: `Hidden width k = ${ctx.params.width}`, layer: curveLayers({ y: 'accuracy', color: { field: 'l1Form', title: 'L1 form', type: 'nominal', sort: [...FORM_ORDER] } }) };
    return renderFigure({ spec, table: data, caption: caption(meta, `final test accuracy against α for width ${ctx.params.width}; dashed line: chance`), width: 420, height: 260 });
  },
});

const widthColor = { field: 'width', title: 'width k', type: 'ordinal', sort: 'descending' } as const;

/** One panel per penalty form, one line per width: the sparsity and the forms figures. */
function formFacetFigure(options: { name: string; description: string; y: 'accuracy' | 'sparsity'; figureName: string; facetTitle: string; caption: (meta: ReturnType<typeof metaWithSeeds>) => string }) {
  return defineNode({
    name: options.name,
    version: 1,
    description: options.description,
    module: import.meta.url,
    params: z.object({}),
    inputs: { runs: table },
    output: figure,
    async run(ctx) {
      const points = curvePoints(ctx.inputs.runs);
      const meta = metaWithSeeds(ctx.inputs.runs, points);
      const data = plotTable(points, { ...meta, figure: options.figureName });
      const spec = {
        facet: { column: { field: 'l1Form', title: options.facetTitle, sort: [...FORM_ORDER] } },
        spec: { layer: curveLayers({ y: options.y, color: widthColor }) },
      };
      return renderFigure({ spec, table: data, caption: caption(meta, options.caption(meta)), width: 360, height: 240 });
    },
  });
}

export const sparsityFigure = formFacetFigure({
  name: 'sparse/sparsity-figure',
  description: 'fraction of near-zero weights against α, one line per width, one panel per penalty form',
  y: 'sparsity',
  figureName: 'sparsity against α',
  facetTitle: 'L1 form',
  caption: (meta) => `fraction of weight-matrix entries with |w| < ${meta.sparsityThreshold} against α`,
});

export const formsFigure = formFacetFigure({
  name: 'sparse/forms-figure',
  description: 'final test accuracy against α for every width, the two penalty forms side by side',
  y: 'accuracy',
  figureName: 'accuracy against α, penalty forms side by side',
  facetTitle: 'L1 form (notebook: matrix 1-norm; elementwise: Σ|w|)',
  caption: () => 'final test accuracy against α, the notebook\'s matrix-norm penalty beside the elementwise Σ|p|: only the matrix norm recovers at large α',
});
