/**
 * The parameters of one two-moon training run, shared by the training node and the
 * feature-dynamics node: the data, the network, the optimiser and the objective.
 */
import { z } from 'zod';
import type { Objective, OptimizerSpec } from '../../engine/compute/trainer.ts';

const positiveInt = (what: string) => z.number().int(`${what} must be an integer`).min(1, `${what} must be at least 1`);
const nonNegative = (what: string) => z.number().finite().min(0, `${what} must be ≥ 0`);

export const moonRunParams = z.object({
  /** +0.1 separable (gap 0.2 along x₀), −0.1 overlapping */
  margin: z.number().finite(),
  noise: nonNegative('noise').default(0.1),
  perMoon: positiveInt('perMoon').default(150),
  /** rotation of the finished data, degrees (the appendix's 45° panel) */
  rotationDegrees: z.number().finite().default(0),
  width: positiveInt('width').default(500),
  /** hidden layers (1: the thesis' 2 → 500 → 1) */
  hiddenLayers: positiveInt('hiddenLayers').default(1),
  dropout: z.number().min(0).lt(1, 'dropout must be < 1').default(0),
  batchNorm: z.boolean().default(false),
  optimizer: z.enum(['sgd', 'adam']).default('sgd'),
  lr: z.number().finite().positive('lr must be positive').default(1e-2),
  momentum: nonNegative('momentum').default(0.9),
  weightDecay: nonNegative('weightDecay').default(2e-4),
  steps: positiveInt('steps').default(10_000),
  /** spectral decoupling: c · mean ŷ² */
  logitPenalty: nonNegative('logitPenalty').default(0),
  /** training replicate: draws the data noise and the initialisation */
  seed: z.number().int().min(0, 'seed must be ≥ 0').default(0),
  /** which network of the seed's stream this run uses (a, b, c are built one after another: 0, 1, 2) */
  networkIndex: z.number().int().min(0).default(0),
  precision: z.enum(['float32', 'float64']).default('float32'),
});

export type MoonRunParams = z.output<typeof moonRunParams>;

export function moonOptimizer(p: MoonRunParams): OptimizerSpec {
  return p.optimizer === 'sgd'
    ? { kind: 'sgd', lr: p.lr, momentum: p.momentum, weightDecay: p.weightDecay }
    : { kind: 'adam', lr: p.lr, weightDecay: p.weightDecay };
}

/** BCE-with-logits in its softplus form on ±1 labels, plus SD's logit penalty */
export function moonObjective(p: MoonRunParams): Objective {
  return { loss: { kind: 'bce-with-logits', labels: 'plus-minus' }, logitPenalty: p.logitPenalty };
}

export function describeRun(p: MoonRunParams): Record<string, unknown> {
  return {
    data: `two moons, ${2 * p.perMoon} points, noise ${p.noise}, margin ${p.margin}, rotation ${p.rotationDegrees}°`,
    network: `2 → ${Array(p.hiddenLayers).fill(p.width).join(' → ')} → 1 ReLU${p.dropout > 0 ? `, dropout ${p.dropout} before each ReLU` : ''}${p.batchNorm ? ', batch-norm before each ReLU' : ''}, PyTorch-default init`,
    optimizer: p.optimizer === 'sgd' ? `full-batch SGD lr ${p.lr}, momentum ${p.momentum} (no dampening), coupled weight decay ${p.weightDecay} on all parameters` : `full-batch Adam lr ${p.lr}, coupled weight decay ${p.weightDecay}`,
    objective: `mean softplus(−y ŷ)${p.logitPenalty > 0 ? ` + ${p.logitPenalty} · mean ŷ²` : ''}`,
    steps: p.steps,
    seed: p.seed,
    networkIndex: p.networkIndex,
    precision: p.precision,
  };
}
