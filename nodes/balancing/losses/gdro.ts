/**
 * Group DRO (Sagawa et al. 2019), online form of the authors' code: per batch, for each group
 * present, L_g = mean loss of its examples; q_g ← q_g·exp(η L_g); q ← q/Σq; loss = Σ_g q_g L_g.
 * q starts at ones (normalised on the first update) and is not differentiated.
 */
import { z } from 'zod';
import { defineNode } from '../../../engine/node.ts';
import { json } from '../../../engine/ports.ts';
import type { BatchWeighting, LossSpec } from './spec.ts';

export class GroupDro implements BatchWeighting {
  readonly q: Float64Array;
  private readonly sums: Float64Array;
  private readonly counts: Int32Array;

  constructor(readonly eta: number, nGroups: number) {
    this.q = new Float64Array(nGroups).fill(1);
    this.sums = new Float64Array(nGroups);
    this.counts = new Int32Array(nGroups);
  }

  /** one q update from a batch's per-group mean losses; returns Σ_g q_g L_g */
  update(losses: Float64Array, groups: Int32Array, batch: number): number {
    this.sums.fill(0);
    this.counts.fill(0);
    for (let i = 0; i < batch; i++) {
      this.sums[groups[i]!]! += losses[i]!;
      this.counts[groups[i]!]!++;
    }
    let z = 0;
    for (let g = 0; g < this.q.length; g++) {
      if (this.counts[g]! > 0) this.q[g]! *= Math.exp(this.eta * (this.sums[g]! / this.counts[g]!));
      z += this.q[g]!;
    }
    let loss = 0;
    for (let g = 0; g < this.q.length; g++) {
      this.q[g]! /= z;
      if (this.counts[g]! > 0) loss += (this.q[g]! * this.sums[g]!) / this.counts[g]!;
    }
    return loss;
  }

  coefficients(losses: Float64Array, groups: Int32Array, batch: number, coef: Float64Array): number {
    const loss = this.update(losses, groups, batch);
    for (let i = 0; i < batch; i++) coef[i] = this.q[groups[i]!]! / this.counts[groups[i]!]!;
    return loss;
  }

  state(): readonly number[] {
    return Array.from(this.q);
  }
}

export function gdroLossSpec(eta: number): LossSpec {
  return { kind: 'gdro', usesAttributes: true, eta };
}

export const gdroLossNode = defineNode({
  name: 'balancing/loss-gdro',
  version: 1,
  description: 'group DRO: exponentiated-gradient group weights q, loss Σ q_g L_g',
  module: import.meta.url,
  params: z.object({ eta: z.number().positive().default(0.1) }),
  inputs: {},
  output: json<LossSpec>(),
  run: ({ params }) => gdroLossSpec(params.eta),
});
