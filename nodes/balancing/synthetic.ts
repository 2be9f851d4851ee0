/**
 * The synthetic example of thesis eq. 8.4.1 (Sagawa et al. 2020, §5.1), as the authors' code
 * draws it: one 2-D Gaussian blob, centred then shifted to (−1, −1); the core feature x₀·y, the
 * spurious feature x₁·y, each with a random set of rows sign-flipped (marked minority); 1200
 * pure-noise dimensions in the training split only (zero in validation and test, which the
 * code uses to evaluate the expected rather than the empirical loss).
 */
import { z } from 'zod';
import { defineNode } from '../../engine/node.ts';
import { tensors } from '../../engine/ports.ts';
import type { RandomSource } from '../../engine/random.ts';
import { toBundle, type BalancingData, type Split } from './dataset.ts';

export const syntheticParams = z.object({
  /** examples per split */
  n: z.number().int().min(4).multipleOf(2, 'n must be even (half of each class)').default(1000),
  noiseDims: z.number().int().min(0).default(1200),
  blobStd: z.number().positive().default(0.15),
  rhoCore: z.number().min(0).max(1).default(1),
  rhoSpu: z.number().min(0).max(1).default(0.8),
  gammaSpu: z.number().positive().default(4),
  gammaCore: z.number().positive().default(1),
  /** the thesis uses 20; the authors' code sweeps {2, 4} */
  gammaNoise: z.number().positive().default(20),
  /** which draw: different seeds, independent data */
  seed: z.number().int().min(0).default(0),
});
export type SyntheticParams = z.output<typeof syntheticParams>;

function flipRows(random: RandomSource, n: number, fraction: number): Int32Array {
  // round-down((1 − ρ)·n) in floating point, as int() does in the code: ρ = 0.8 gives 199
  return random.permutation(n).slice(0, Math.floor(fraction * n));
}

export function drawSyntheticSplit(random: RandomSource, p: SyntheticParams, train: boolean): Split {
  const n = p.n;
  const d = 2 + p.noiseDims;
  const blob = random.fillNormal(new Float64Array(2 * n), 0, p.blobStd);
  const mean = [0, 0];
  for (let i = 0; i < n; i++) for (let c = 0; c < 2; c++) mean[c]! += blob[2 * i + c]!;
  for (let c = 0; c < 2; c++) mean[c]! /= n;
  const sign = new Float64Array(n).fill(1); // y ∈ {−1, +1}: first half −1
  for (let i = 0; i < n / 2; i++) sign[i] = -1;
  const g = new Float64Array(n).fill(1);
  const core = new Float64Array(n), spu = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    core[i] = (blob[2 * i]! - mean[0]! - 1) * sign[i]!;
    spu[i] = (blob[2 * i + 1]! - mean[1]! - 1) * sign[i]!;
  }
  for (const i of flipRows(random, n, 1 - p.rhoCore)) { core[i]! *= -1; g[i]! *= -1; }
  for (const i of flipRows(random, n, 1 - p.rhoSpu)) { spu[i]! *= -1; g[i]! *= -1; }
  const x = new Float32Array(n * d);
  const noise = random.fork('noise');
  for (let i = 0; i < n; i++) {
    x[i * d] = spu[i]!;
    x[i * d + 1] = core[i]!;
    if (train) for (let j = 2; j < d; j++) x[i * d + j] = noise.normal();
  }
  const y = new Int32Array(n), a = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = (sign[i]! + 1) / 2;
    a[i] = (g[i]! + 1) / 2;
  }
  return { n, d, x, y, a };
}

export function gammaVector(p: Pick<SyntheticParams, 'noiseDims' | 'gammaSpu' | 'gammaCore' | 'gammaNoise'>): Float64Array {
  const gamma = new Float64Array(2 + p.noiseDims).fill(p.gammaNoise);
  gamma[0] = p.gammaSpu;
  gamma[1] = p.gammaCore;
  return gamma;
}

export function drawSyntheticData(random: RandomSource, p: SyntheticParams): BalancingData {
  return {
    train: drawSyntheticSplit(random.fork('train'), p, true),
    val: drawSyntheticSplit(random.fork('val'), p, false),
    test: drawSyntheticSplit(random.fork('test'), p, false),
    nLabels: 2,
    nAttributes: 2,
    gamma: gammaVector(p),
  };
}

export const syntheticDataNode = defineNode({
  name: 'balancing/synthetic-data',
  version: 1,
  description: 'Synthetic spurious-correlation example (thesis eq. 8.4.1): train/val/test draws, γ scales',
  module: import.meta.url,
  params: syntheticParams,
  inputs: {},
  output: tensors,
  run: ({ params, random }) => toBundle(drawSyntheticData(random, params)),
});
