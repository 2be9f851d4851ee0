/**
 * One Colored MNIST run (one method, one restart): builds the restart's environments from the
 * digits step, trains, and returns the accuracy curve, the reported (last-step) accuracies, the
 * environment sizes, and the four test variants on the final model (every restart evaluates them
 * — four forward passes; the thesis reports the last restart's, and so do the tables).
 */
import { defineNode } from '../../engine/node.ts';
import { tensors } from '../../engine/ports.ts';
import { coloredMnist } from './colored-mnist-data.ts';
import { digitsFromBundle, SOURCE_CODE } from './colored-mnist-digits.ts';
import { coloredMnistOptimizer, coloredMnistParams, coloredMnistSpec } from './colored-mnist-params.ts';
import { layersOf, trainColoredMnist } from './colored-mnist-training.ts';
import { evaluateVariants } from './colored-mnist-variants.ts';

const scalar = (v: number) => ({ shape: [], data: Float64Array.of(v) });

export const coloredMnistTrain = defineNode({
  name: 'starvation/colored-mnist-train',
  version: 1,
  description: 'one Colored MNIST run (ERM or SD, one restart): accuracy curve, reported train/test accuracy, the four test variants',
  module: import.meta.url,
  params: coloredMnistParams,
  inputs: { digits: tensors },
  output: tensors,
  backends: ['trainer'],
  async run(ctx) {
    const p = ctx.params;
    const digits = digitsFromBundle(ctx.inputs.digits);
    const data = coloredMnist(digits.pool, digits, p.seed);
    const run = await trainColoredMnist(ctx.trainer, data, p, { signal: ctx.signal, progress: (f, m) => ctx.progress(f, m) });
    const spec = coloredMnistSpec(p.hidden);
    const final = ctx.trainer.createNetwork({ spec, init: layersOf(spec, run.parameters), optimizer: coloredMnistOptimizer(p) });
    let variants;
    try {
      variants = evaluateVariants(final, digits.pool, digits, p.seed);
    } finally {
      final.dispose();
    }
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
      source: scalar(SOURCE_CODE[digits.source]),
      variantAccuracy: { shape: [variants.length], data: Float64Array.from(variants, (v) => v.accuracy) },
      variantEntropy: { shape: [variants.length], data: Float64Array.from(variants, (v) => v.entropy) },
    };
  },
});
