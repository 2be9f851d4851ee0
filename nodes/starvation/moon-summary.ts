/**
 * One two-moon run over its seeds: the seed-averaged decision function on the grid, the first
 * seed's data points (the thesis plots one seed's points for clarity), and the per-seed margins
 * averaged. The curvature proxy is read off the averaged function, as the heat-map shows it.
 */
import { z } from 'zod';
import { defineNode } from '../../engine/node.ts';
import { many, table, tensors, type TensorBundle } from '../../engine/ports.ts';
import { columnsTable } from '../../engine/table.ts';
import { curvatureProxy } from './moon-metrics.ts';

export interface MoonSummaryMeta {
  readonly run: string;
  readonly title: string;
  readonly seeds: number;
  readonly gridSize: number;
  readonly rotationDegrees: number;
  readonly trainAccuracy: MeanStd;
  readonly minMargin: MeanStd;
  readonly functionalMargin: MeanStd;
  readonly curvatureProxy: number;
  /** per seed, in seed order */
  readonly perSeed: { readonly seed: number; readonly trainAccuracy: number; readonly minMargin: number | null; readonly functionalMargin: number }[];
  readonly referenceMinMargin: number | null;
}

export interface MeanStd {
  readonly mean: number | null;
  readonly std: number | null;
  /** seeds that gave a finite value */
  readonly n: number;
}

export function meanStd(values: readonly number[]): MeanStd {
  const v = values.filter(Number.isFinite);
  if (v.length === 0) return { mean: null, std: null, n: 0 };
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const std = v.length > 1 ? Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (v.length - 1)) : 0;
  return { mean, std, n: v.length };
}

const one = (b: TensorBundle, name: string) => b[name]!.data[0]!;

export const moonSummary = defineNode({
  name: 'starvation/moon-summary',
  version: 1,
  description: 'a two-moon run over its seeds: averaged decision function, one seed\'s points, margins and the curvature proxy',
  module: import.meta.url,
  params: z.object({
    run: z.string().min(1),
    title: z.string().min(1),
    rotationDegrees: z.number().finite().default(0),
    /** the independent torch re-runs' minimum margin for this run, where the digest gives one */
    referenceMinMargin: z.number().nullable().default(null),
    /** the sweep axis the seeds were gathered over */
    seedAxis: z.string().min(1).default('seed'),
  }),
  inputs: { seeds: many(tensors) },
  output: table,
  run(ctx) {
    const seedOf = (cell: Readonly<Record<string, unknown>>) => {
      const v = cell[ctx.params.seedAxis];
      if (typeof v !== 'number') throw new Error(`starvation/moon-summary: gathered cell has no numeric "${ctx.params.seedAxis}"`);
      return v;
    };
    const runs = [...ctx.inputs.seeds].sort((a, b) => seedOf(a.cell) - seedOf(b.cell));
    if (runs.length === 0) throw new Error('starvation/moon-summary: no seeds');
    const first = runs[0]!.value;
    const n = first.axis!.data.length;
    const avg = new Float64Array(n * n);
    for (const r of runs) {
      const g = r.value.grid!.data;
      for (let k = 0; k < avg.length; k++) avg[k] = avg[k]! + g[k]! / runs.length;
    }
    const axis = first.axis!.data as Float64Array;
    const x = first.x!.data, y = first.y!.data, points = y.length;
    const cells = n * n;
    const kind: string[] = [], x0: number[] = [], x1: number[] = [], value: number[] = [];
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) { kind.push('cell'); x0.push(axis[j]!); x1.push(axis[i]!); value.push(avg[i * n + j]!); }
    for (let k = 0; k < points; k++) { kind.push('point'); x0.push(x[2 * k]!); x1.push(x[2 * k + 1]!); value.push(y[k]!); }
    const perSeed = runs.map((r) => ({
      seed: seedOf(r.cell),
      trainAccuracy: one(r.value, 'trainAccuracy'),
      minMargin: Number.isFinite(one(r.value, 'minMargin')) ? one(r.value, 'minMargin') : null,
      functionalMargin: one(r.value, 'functionalMargin'),
    }));
    const meta: MoonSummaryMeta = {
      run: ctx.params.run,
      title: ctx.params.title,
      seeds: runs.length,
      gridSize: n,
      rotationDegrees: ctx.params.rotationDegrees,
      trainAccuracy: meanStd(perSeed.map((s) => s.trainAccuracy)),
      minMargin: meanStd(perSeed.map((s) => s.minMargin ?? NaN)),
      functionalMargin: meanStd(perSeed.map((s) => s.functionalMargin)),
      curvatureProxy: curvatureProxy({ axis, values: avg }, ctx.params.rotationDegrees),
      perSeed,
      referenceMinMargin: ctx.params.referenceMinMargin,
    };
    if (cells + points !== kind.length) throw new Error('starvation/moon-summary: row count mismatch');
    return columnsTable({ kind, x0, x1, value }, meta);
  },
});
