/** The plain mean of the batch's losses (ERM and every balancing baseline). */
import { z } from 'zod';
import { defineNode } from '../../../engine/node.ts';
import { json } from '../../../engine/ports.ts';
import type { BatchWeighting, LossSpec } from './spec.ts';

export function meanLoss(): BatchWeighting {
  return {
    coefficients(losses, _groups, batch, coef) {
      let total = 0;
      for (let i = 0; i < batch; i++) {
        coef[i] = 1 / batch;
        total += losses[i]!;
      }
      return total / batch;
    },
    state: () => undefined,
  };
}

export const meanLossSpec: LossSpec = { kind: 'mean', usesAttributes: false };

export const meanLossNode = defineNode({
  name: 'balancing/loss-mean',
  version: 1,
  description: 'mean of the per-example losses',
  module: import.meta.url,
  params: z.object({}),
  inputs: {},
  output: json<LossSpec>(),
  run: () => meanLossSpec,
});
