/**
 * SUBY / SUBG: once, before training, keep a random subset in which every class (or group) has
 * the size of the smallest one — walking a random permutation and keeping an example while its
 * key is below quota, as the authors' code does.
 */
import { z } from 'zod';
import { defineNode } from '../../../engine/node.ts';
import { json, tensors } from '../../../engine/ports.ts';
import type { RandomSource } from '../../../engine/random.ts';
import { countBy, fromBundle, type BalancingData } from '../dataset.ts';
import { balanceBy, balanceKeys, type BalanceBy } from './keys.ts';
import type { SamplerSpec } from './spec.ts';

export function subsampleSampler(data: BalancingData, by: BalanceBy, random: RandomSource): SamplerSpec {
  const { keys, k } = balanceKeys(data, by);
  const counts = countBy(keys, k);
  const quota = Math.min(...counts);
  if (quota === 0) throw new Error(`subsample by ${by}: the training split has an empty ${by} (counts ${counts.join(', ')})`);
  const taken = new Array<number>(k).fill(0);
  const pool: number[] = [];
  for (const i of random.permutation(data.train.n)) {
    const key = keys[i]!;
    if (taken[key]! < quota) {
      taken[key]!++;
      pool.push(i);
    }
  }
  return { scheme: by === 'group' ? 'SUBG' : 'SUBY', usesAttributes: by === 'group', pool };
}

export const subsampleSamplerNode = defineNode({
  name: 'balancing/sampler-subsample',
  version: 1,
  description: 'subsample every class (SUBY) or group (SUBG) to the smallest one, once',
  module: import.meta.url,
  params: z.object({ by: balanceBy, seed: z.number().int().min(0).default(0) }),
  inputs: { data: tensors },
  output: json<SamplerSpec>(),
  run: ({ inputs, params, random }) => subsampleSampler(fromBundle(inputs.data), params.by, random),
});
