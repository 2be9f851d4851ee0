/** ERM: every training example once per epoch, in a fresh random order. */
import { z } from 'zod';
import { defineNode } from '../../../engine/node.ts';
import { json, tensors } from '../../../engine/ports.ts';
import { fromBundle, type BalancingData } from '../dataset.ts';
import type { SamplerSpec } from './spec.ts';

export function shuffleSampler(data: BalancingData): SamplerSpec {
  return { scheme: 'shuffle', usesAttributes: false, pool: Array.from({ length: data.train.n }, (_, i) => i) };
}

export const shuffleSamplerNode = defineNode({
  name: 'balancing/sampler-shuffle',
  version: 1,
  description: 'uniform shuffling of the whole training set (ERM)',
  module: import.meta.url,
  params: z.object({}),
  inputs: { data: tensors },
  output: json<SamplerSpec>(),
  run: ({ inputs }) => shuffleSampler(fromBundle(inputs.data)),
});
