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
import { meanAndStd, sizesOf } from './colored-mnist-tables.ts';

interface Series {
  readonly method: string;
  readonly runs: readonly GatheredValue<TensorBundle>[];
}

/** per recorded step: mean and std over restarts of train and test accuracy (percent) */
function curveRows(s: Series, out: Record<string, (string | number)[]>): void {
  const steps = s.runs[0]!.value.step!.data;
  for (const split of ['train', 'test'] as const) {
    const key = split === 'train' ? 'trainAccuracy' : 'testAccuracy';
    for (let i = 0; i < steps.length; i++) {
      const { mean, std } = meanAndStd(s.runs.map((r) => 100 * r.value[key]!.data[i]!));
      out.method!.push(s.method);
      out.split!.push(split);
      out.curve!.push(`${s.method} ${split}`);
      out.step!.push(steps[i]!);
      out.accuracy!.push(mean);
      out.low!.push(mean - std);
      out.high!.push(mean + std);
    }
  }
}

export const coloredMnistFigure = defineNode({
  name: 'starvation/colored-mnist-figure',
  version: 1,
  description: 'Colored MNIST: train and test accuracy against the step, ERM and SD, mean ± std over restarts, the anneal step marked',
  module: import.meta.url,
  params: z.object({ annealStep: z.number().int().min(0).default(450) }),
  inputs: { erm: many(tensors), sd: many(tensors) },
  output: figure,
  async run(ctx) {
    const rows: Record<string, (string | number)[]> = { method: [], split: [], curve: [], step: [], accuracy: [], low: [], high: [] };
    const series: Series[] = [{ method: 'ERM', runs: ctx.inputs.erm }, { method: 'SD', runs: ctx.inputs.sd }];
    for (const s of series) {
      if (s.runs.length === 0) throw new Error(`starvation/colored-mnist-figure: no ${s.method} restarts gathered`);
      curveRows(s, rows);
    }
    const x = { field: 'step', type: 'quantitative', title: 'step' };
    const color = { field: 'method', type: 'nominal', title: 'method', scale: { domain: ['ERM', 'SD'], range: ['#d6604d', '#2166ac'] } };
    const dash = { field: 'split', type: 'nominal', title: 'accuracy on', scale: { domain: ['train', 'test'], range: [[1, 0], [6, 3]] } };
    const anneal = ctx.params.annealStep;
    const spec = {
      width: 560,
      height: 320,
      layer: [
        { mark: { type: 'area', opacity: 0.15 }, encoding: { x, y: { field: 'low', type: 'quantitative' }, y2: { field: 'high' }, color, detail: { field: 'curve' } } },
        { mark: { type: 'line', strokeWidth: 2 }, encoding: { x, y: { field: 'accuracy', type: 'quantitative', title: 'accuracy (%)', scale: { domain: [0, 100] } }, color, strokeDash: dash, detail: { field: 'curve' } } },
        { data: { values: [{ step: anneal, label: `SD anneal, step ${anneal}` }] }, mark: { type: 'rule', color: '#555', strokeDash: [2, 2] }, encoding: { x: { field: 'step', type: 'quantitative' } } },
        { data: { values: [{ step: anneal, label: `step ${anneal}` }] }, mark: { type: 'text', align: 'left', dx: 4, dy: -6, color: '#333' }, encoding: { x: { field: 'step', type: 'quantitative' }, y: { datum: 97 }, text: { field: 'label' } } },
        { data: { values: [{ y: 75 }] }, mark: { type: 'rule', color: '#999', strokeWidth: 1 }, encoding: { y: { field: 'y', type: 'quantitative' } } },
        { data: { values: [{ y: 75, label: '75 %: the label-noise ceiling' }] }, mark: { type: 'text', align: 'right', dy: -6, color: '#777' }, encoding: { x: { datum: series.reduce((m, s) => Math.max(m, ...s.runs[0]!.value.step!.data), 0) }, y: { field: 'y', type: 'quantitative' }, text: { field: 'label' } } },
      ],
    };
    const data = describeDigits(sizesOf(series[0]!.runs[0]!.value));
    const restarts = series.map((s) => `${s.method} ${s.runs.length}`).join(', ');
    const caption = `Colored MNIST (${data}): train (solid) and test (dashed) accuracy against the step, mean ± std over restarts (${restarts}); accuracy of the parameters before each step's update. SD changes its objective at step ${anneal} (dotted line) and keeps one Adam state across it.`;
    return renderFigure({ spec, table: columnsTable(rows as Record<string, number[] | string[]>, { figure: 'Colored MNIST accuracy against the step', data, annealStep: anneal }), caption });
  },
});
