/**
 * The parameters of one Colored MNIST training run (one method, one restart) and what they mean
 * for the trainer: the network, the optimiser and the objective of each step (spectral
 * decoupling's objective changes at the anneal step while the optimiser state stays).
 */
import { z } from 'zod';
import type { NetworkSpec, Objective, OptimizerSpec } from '../../engine/compute/trainer.ts';
import { CMNIST_INPUTS } from './colored-mnist-data.ts';

const positiveInt = (what: string) => z.number().int(`${what} must be an integer`).min(1, `${what} must be at least 1`);

export const coloredMnistParams = z.object({
  /** erm: BCE only; sd: BCE + sdCoefficient · mean ŷ² before annealStep, sdCoefficient · (BCE + mean ŷ²) from it on */
  method: z.enum(['erm', 'sd']),
  steps: positiveInt('steps'),
  /** the restart's shuffle, label-flip and colour-flip draws */
  seed: z.number().int().min(0, 'seed must be ≥ 0'),
  /** the restart's initialisation (Xavier-uniform weights, zero biases) */
  initSeed: z.number().int().min(0, 'initSeed must be ≥ 0'),
  hidden: positiveInt('hidden').default(300),
  lr: z.number().finite().positive('lr must be positive').default(1e-4),
  /** c · ‖θ‖² over all parameters in the loss (the IRM code's l2_regularizer_weight): Adam's coupled weight decay 2c */
  l2: z.number().finite().min(0, 'l2 must be ≥ 0').default(0),
  sdCoefficient: z.number().finite().min(0).default(2e-5),
  annealStep: z.number().int().min(0).default(450),
  /** keep: one Adam state across the anneal step (the authors'); reset: a fresh Adam there (the diagnostic) */
  adamAtAnneal: z.enum(['keep', 'reset']).default('keep'),
  /** the accuracy curve's spacing in steps (the last step is always recorded) */
  recordEvery: positiveInt('recordEvery').default(10),
});

export type ColoredMnistParams = z.output<typeof coloredMnistParams>;

export function coloredMnistSpec(hidden: number): NetworkSpec {
  return {
    inputs: CMNIST_INPUTS,
    precision: 'float32',
    layers: [
      { units: hidden, activation: 'relu' },
      { units: hidden, activation: 'relu' },
      { units: 1, activation: 'identity' },
    ],
  };
}

export function coloredMnistOptimizer(p: ColoredMnistParams): OptimizerSpec {
  // d/dθ c‖θ‖² = 2cθ: the loss term is exactly Adam's coupled weight decay 2c
  return { kind: 'adam', lr: p.lr, weightDecay: 2 * p.l2 };
}

const BCE = { kind: 'bce-with-logits', labels: 'zero-one' } as const;

/** the objective of step `step` (0-based) */
export function objectiveAt(p: ColoredMnistParams, step: number): Objective {
  if (p.method === 'erm') return { loss: BCE };
  return step < p.annealStep ? { loss: BCE, logitPenalty: p.sdCoefficient } : { loss: BCE, logitPenalty: 1, scale: p.sdCoefficient };
}

export function describeObjective(p: ColoredMnistParams): string {
  const l2 = p.l2 > 0 ? ` + ${p.l2} · ‖θ‖²` : '';
  if (p.method === 'erm') return `BCE-with-logits${l2}`;
  return `BCE + ${p.sdCoefficient} · mean ŷ² before step ${p.annealStep}, ${p.sdCoefficient} · (BCE + mean ŷ²) from it on${l2}; Adam state ${p.adamAtAnneal === 'keep' ? 'kept' : 'reset'} at step ${p.annealStep}`;
}
