/**
 * RWY / RWG (and gDRO's sampler): draw N examples per epoch with replacement, example i with
 * weight N / n_key(i), so batches are class- or group-balanced in expectation.
 */
import { z } from 'zod';
import { defineNode } from '../../../engine/node.ts';
import { json, tensors } from '../../../engine/ports.ts';
import { countBy, fromBundle, type BalancingData } from '../dataset.ts';
import { balanceBy, balanceKeys, type BalanceBy } from './keys.ts';
import type { SamplerSpec } from './spec.ts';

export function reweightSampler(data: BalancingData, by: BalanceBy): SamplerSpec {
  const { keys, k } = balanceKeys(data, by);
  const counts = countBy(keys, k);
  const n = data.train.n;
  const pool = Array.from({ length: n }, (_, i) => i);
  const weights = pool.map((i) => n / counts[keys[i]!]!);
  return { scheme: by === 'group' ? 'RWG' : 'RWY', usesAttributes: by === 'group', pool, weights };
}

export const reweightSamplerNode = defineNode({
  name: 'balancing/sampler-reweight',
  version: 1,
  description: 'sample with replacement, class- (RWY) or group-balanced (RWG, gDRO) in expectation',
  module: import.meta.url,
  params: z.object({ by: balanceBy }),
  inputs: { data: tensors },
  output: json<SamplerSpec>(),
  run: ({ inputs, params }) => reweightSampler(fromBundle(inputs.data), params.by),
});
