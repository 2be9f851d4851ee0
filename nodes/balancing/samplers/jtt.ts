/**
 * Just Train Twice (Liu et al. 2021), second phase: predict the training set once with the
 * phase-one ERM model and let every mistake appear `up` times (the rest once). The phase-two
 * model is a fresh initialisation trained on this set with uniform shuffling.
 */
import { z } from 'zod';
import { defineNode } from '../../../engine/node.ts';
import { json, tensors } from '../../../engine/ports.ts';
import { randomSourceFromSeed } from '../../../engine/random.ts';
import { fromBundle, type BalancingData } from '../dataset.ts';
import type { HeadSpec } from '../model/head.ts';
import { createHead } from '../model/prepare.ts';
import { preparedSplits, type TrainingRun } from '../train/run.ts';
import type { SamplerSpec } from './spec.ts';

/** Training-set predictions of the phase-one model's final parameters. */
export function phaseOneErrors(data: BalancingData, phaseOne: Pick<TrainingRun, 'finalParams' | 'params'>): Int32Array {
  const head = createHead(phaseOne.params.head as HeadSpec, data, 1, randomSourceFromSeed('unused'));
  if (head.params.length !== phaseOne.finalParams.length) {
    throw new Error(`JTT: phase-one model has ${phaseOne.finalParams.length} parameters, expected ${head.params.length} for this data`);
  }
  head.params.set(phaseOne.finalParams);
  const split = preparedSplits(data).train;
  const pred = new Int32Array(split.n);
  head.predict(split, pred);
  const wrong = new Int32Array(split.n);
  for (let i = 0; i < split.n; i++) wrong[i] = pred[i] === split.y[i] ? 0 : 1;
  return wrong;
}

export function jttSampler(data: BalancingData, phaseOne: Pick<TrainingRun, 'finalParams' | 'params'>, up: number): SamplerSpec {
  const wrong = phaseOneErrors(data, phaseOne);
  const pool: number[] = [];
  for (let i = 0; i < wrong.length; i++) for (let r = wrong[i] ? up : 1; r > 0; r--) pool.push(i);
  return { scheme: 'JTT', usesAttributes: false, pool };
}

export const jttSamplerNode = defineNode({
  name: 'balancing/sampler-jtt',
  version: 1,
  description: "JTT's up-weighted set: the phase-one model's training errors appear `up` times",
  module: import.meta.url,
  params: z.object({ up: z.number().int().min(1).max(1000) }),
  inputs: { data: tensors, phaseOne: json<TrainingRun>() },
  output: json<SamplerSpec>(),
  run: ({ inputs, params }) => jttSampler(fromBundle(inputs.data), inputs.phaseOne, params.up),
});
