/**
 * One Colored MNIST training run on the general trainer: full-batch Adam on both training
 * environments, the objective switching at the anneal step for spectral decoupling. Accuracies
 * are the authors': train and test accuracy of the parameters *before* a step's update (the test
 * logits are taken just before the step, the train logits are the step's own forward pass), so the
 * reported numbers of a 1001-step run belong to the model after 1000 updates.
 */
import type { LayerParams, Network, NetworkSpec, TrainerCompute } from '../../engine/compute/trainer.ts';
import { xavierUniformLayers } from '../../compute/trainer-init.ts';
import { randomSourceFromSeed } from '../../engine/random.ts';
import type { ColoredMnistData } from './colored-mnist-data.ts';
import { coloredMnistOptimizer, coloredMnistSpec, objectiveAt, type ColoredMnistParams } from './colored-mnist-params.ts';

export interface CurvePoint {
  readonly step: number;
  readonly trainAccuracy: number;
  readonly testAccuracy: number;
  /** the data loss (BCE, batch mean) of the step's forward pass */
  readonly loss: number;
}

export interface ColoredMnistRun {
  readonly curve: readonly CurvePoint[];
  /** the last step's point: the reported train and test accuracy */
  readonly final: CurvePoint;
  /** the parameters after the last update, flat layout */
  readonly parameters: Float64Array;
}

export interface RunHooks {
  readonly signal?: AbortSignal;
  progress?(fraction: number, message: string): void;
}

/** share of rows whose logit sign (> 0 → 1) matches the 0/1 label, as `((logits > 0) == y).mean()` */
export function accuracy(logits: ArrayLike<number>, labels: ArrayLike<number>): number {
  let hits = 0;
  for (let i = 0; i < labels.length; i++) if ((logits[i]! > 0 ? 1 : 0) === labels[i]) hits++;
  return hits / labels.length;
}

export function initialLayers(spec: NetworkSpec, initSeed: number): LayerParams[] {
  return xavierUniformLayers(spec, randomSourceFromSeed(`starvation/colored-mnist:init=${initSeed}`));
}

/** flat parameters back into layers (dense layers with bias: W then b) */
export function layersOf(spec: NetworkSpec, flat: Float64Array): LayerParams[] {
  let at = 0, fanIn = spec.inputs;
  return spec.layers.map((l) => {
    const weight = flat.slice(at, (at += l.units * fanIn));
    const bias = flat.slice(at, (at += l.units));
    fanIn = l.units;
    return { weight, bias };
  });
}

/** the steps to record: every `every`-th and the last */
function isRecorded(step: number, p: ColoredMnistParams): boolean {
  return step % p.recordEvery === 0 || step === p.steps - 1;
}

export async function trainColoredMnist(trainer: TrainerCompute, data: ColoredMnistData, p: ColoredMnistParams, hooks: RunHooks = {}): Promise<ColoredMnistRun> {
  const spec = coloredMnistSpec(p.hidden);
  let network: Network = trainer.createNetwork({ spec, init: initialLayers(spec, p.initSeed), optimizer: coloredMnistOptimizer(p) });
  const batch = { x: data.train.x, targets: data.train.labels };
  const curve: CurvePoint[] = [];
  try {
    let step = 0;
    while (step < p.steps) {
      // let a cancellation reach the signal: the steps never yield by themselves
      await new Promise<void>((resolve) => setImmediate(resolve));
      hooks.signal?.throwIfAborted();
      hooks.progress?.(step / p.steps, `step ${step}/${p.steps}`);
      if (step === p.annealStep && p.method === 'sd' && p.adamAtAnneal === 'reset' && step > 0) {
        // the diagnostic: the same parameters under a new optimiser (fresh moments, t = 0)
        const parameters = network.getParameters();
        network.dispose();
        network = trainer.createNetwork({ spec, init: layersOf(spec, parameters), optimizer: coloredMnistOptimizer(p) });
      }
      if (isRecorded(step, p)) {
        const testAccuracy = accuracy(network.logits(data.test.x), data.test.labels);
        const r = network.step(batch, objectiveAt(p, step));
        curve.push({ step, trainAccuracy: accuracy(r.logits, batch.targets), testAccuracy, loss: r.loss });
        step++;
        continue;
      }
      // unrecorded steps in one call, up to the next recorded step or the anneal step
      let end = step + 1;
      while (end < p.steps && !isRecorded(end, p) && end !== p.annealStep) end++;
      network.steps(batch, objectiveAt(p, step), end - step);
      step = end;
    }
    return { curve, final: curve[curve.length - 1]!, parameters: network.getParameters() };
  } finally {
    network.dispose();
  }
}
