/** The training run as a pipeline node: data, a sampler's spec and a loss's spec in. */
import { defineNode } from '../../../engine/node.ts';
import { json, tensors } from '../../../engine/ports.ts';
import { fromBundle } from '../dataset.ts';
import type { LossSpec } from '../losses/spec.ts';
import type { SamplerSpec } from '../samplers/spec.ts';
import { trainParams, trainRun, type TrainingRun } from './run.ts';

export const trainNode = defineNode({
  name: 'balancing/train',
  version: 1,
  description: 'SGD-momentum training of a linear or MLP head with a given sampler and loss; per-epoch group accuracies',
  module: import.meta.url,
  params: trainParams,
  inputs: { data: tensors, sampler: json<SamplerSpec>(), loss: json<LossSpec>() },
  output: json<TrainingRun>(),
  run: ({ inputs, params, random, signal, progress }) =>
    trainRun(fromBundle(inputs.data), inputs.sampler, inputs.loss, params, random, { signal, progress }),
});
