/**
 * Colored MNIST over training: train and test accuracy against the step for ERM and SD, the mean
 * over restarts with the band of ± one standard deviation, the SD anneal step marked, and the
 * 75 % ceiling that the label noise sets for a digit-only classifier.
 */
import { z } from 'zod';
import { defineNode } from '../../engine/node.ts';
import { figure, many, tensors, type GatheredValue, type TensorBundle } from '../../engine/ports.ts';
import { columnsTable } from '../../engine/table.ts';
import { renderFigure } from '../plots/index.ts';
import { describeDigits } from './colored-mnist-digits.ts';
import { meanAndStd, sdLabel, sizesOf } from './colored-mnist-tables.ts';

interface Series {
  readonly method: string;
  readonly runs: readonly GatheredValue<TensorBundle>[];
}

type Rows = Record<'method' | 'kind' | 'split' | 'label', string[]> & Record<'step' | 'accuracy' | 'low' | 'high', number[]>;

function push(rows: Rows, r: { method: string; kind: string; split: string; label: string; step: number; accuracy: number; low: number; high: number }): void {
  for (const k of Object.keys(rows) as (keyof Rows)[]) (rows[k] as (string | number)[]).push(r[k]);
}

/** per recorded step: mean and std over restarts of train and test accuracy (percent) */
function curveRows(s: Series, rows: Rows): void {
  const steps = s.runs[0]!.value.step!.data;
  for (const split of ['train', 'test'] as const) {
    const key = split === 'train' ? 'trainAccuracy' : 'testAccuracy';
    for (let i = 0; i < steps.length; i++) {
      const { mean, std } = meanAndStd(s.runs.map((r) => 100 * r.value[key]!.data[i]!));
      push(rows, { method: s.method, kind: 'curve', split, label: '', step: steps[i]!, accuracy: mean, low: mean - std, high: mean + std });
    }
  }
}

/** the markers ride in the plotted table (a faceted layer cannot bring its own data) */
function markerRows(s: Series, anneal: number, rows: Rows): void {
  const last = Math.max(...s.runs[0]!.value.step!.data);
  push(rows, { method: s.method, kind: 'ceiling', split: '', label: '75 %: label-noise ceiling', step: last, accuracy: 75, low: 0, high: 0 });
  if (s.method !== 'ERM') push(rows, { method: s.method, kind: 'anneal', split: '', label: `step ${anneal}: SD anneal`, step: anneal, accuracy: 4, low: 0, high: 0 });
}

export const coloredMnistFigure = defineNode({
  name: 'starvation/colored-mnist-figure',
  version: 1,
  description: 'Colored MNIST: train and test accuracy against the step, ERM and SD, mean ± std over restarts, the anneal step marked',
  module: import.meta.url,
  params: z.object({ annealStep: z.number().int().min(0).default(450), adamAtAnneal: z.enum(['keep', 'reset']).default('keep') }),
  inputs: { erm: many(tensors), sd: many(tensors) },
  output: figure,
  async run(ctx) {
    const rows: Rows = { method: [], kind: [], split: [], label: [], step: [], accuracy: [], low: [], high: [] };
    const series: Series[] = [{ method: 'ERM', runs: ctx.inputs.erm }, { method: sdLabel(ctx.params.adamAtAnneal), runs: ctx.inputs.sd }];
    const anneal = ctx.params.annealStep;
    for (const s of series) {
      if (s.runs.length === 0) throw new Error(`starvation/colored-mnist-figure: no ${s.method} restarts gathered`);
      curveRows(s, rows);
      markerRows(s, anneal, rows);
    }
    const only = (kind: string) => [{ filter: `datum.kind === '${kind}'` }];
    const x = { field: 'step', type: 'quantitative', title: 'step' };
    const y = { field: 'accuracy', type: 'quantitative', title: 'accuracy (%)', scale: { domain: [0, 100] } };
    const color = { field: 'split', type: 'nominal', title: 'accuracy on', scale: { domain: ['train', 'test'], range: ['#2166ac', '#d6604d'] }, legend: { symbolType: 'stroke', symbolStrokeWidth: 3 } };
    const spec = {
      facet: { column: { field: 'method', type: 'nominal', title: null, sort: series.map((s) => s.method) } },
      resolve: { scale: { x: 'independent' } },
      spec: {
        width: 360,
        height: 300,
        layer: [
          { transform: only('curve'), mark: { type: 'area', opacity: 0.2 }, encoding: { x, y: { field: 'low', type: 'quantitative' }, y2: { field: 'high' }, color: { ...color, legend: null } } },
          { transform: only('curve'), mark: { type: 'line', strokeWidth: 2 }, encoding: { x, y, color } },
          { transform: only('ceiling'), mark: { type: 'rule', color: '#999', strokeDash: [4, 3] }, encoding: { y } },
          { transform: only('ceiling'), mark: { type: 'text', align: 'right', dy: -7, color: '#666' }, encoding: { x, y, text: { field: 'label' } } },
          { transform: only('anneal'), mark: { type: 'rule', color: '#333', strokeDash: [2, 2] }, encoding: { x } },
          { transform: only('anneal'), mark: { type: 'text', align: 'left', dx: 4, color: '#333' }, encoding: { x, y, text: { field: 'label' } } },
        ],
      },
    };
    const data = describeDigits(sizesOf(series[0]!.runs[0]!.value));
    const restarts = series.map((s) => `${s.method} ${s.runs.length}`).join(', ');
    const caption = `Colored MNIST (${data}): train and test accuracy against the step, mean ± std over restarts (${restarts}); accuracy of the parameters before each step's update. SD changes its objective at step ${anneal} (dotted line) and ${ctx.params.adamAtAnneal === 'keep' ? 'keeps one Adam state across it' : 'starts a fresh Adam state there (the diagnostic)'}; the grey line is the 75 % a digit-only classifier can reach under 25 % label noise.`;
    return renderFigure({ spec, table: columnsTable(rows, { figure: 'Colored MNIST accuracy against the step', data, annealStep: anneal, adamAtAnneal: ctx.params.adamAtAnneal }), caption });
  },
});
