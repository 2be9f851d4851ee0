/**
 * An extension of the generic training interfaces (engine/compute/mlp.ts, trainer.ts) for the
 * sparse double-descent study: an L1 penalty on the parameters, in one of two forms.
 * `notebook`: each weight matrix's induced 1-norm (its largest column sum of |W|) plus Σ|b|;
 * `elementwise`: Σ|p| over all parameters. A backend lists `l1-forms` in its `extensions` when it
 * honours these options; one that does not would silently train without the penalty, so a node
 * asks for the extension through `withL1Forms` and gets a clear error instead.
 */
import type { BatchLoss, LayerSizes, MlpCompute, MlpParams, MlpTrainer, OutputLoss, TrainStepOptions } from '../../engine/compute/mlp.ts';
import type { Batch, CreateNetworkOptions, Network, Objective, StepResult, TrainerCompute } from '../../engine/compute/trainer.ts';

export const L1_FORMS_EXTENSION = 'l1-forms';

export type L1Form = 'notebook' | 'elementwise';

export interface L1Penalty {
  /** L1 coefficient α (0 or absent disables) */
  readonly l1?: number;
  /** the MLP backends default to `notebook`, the general trainer to `elementwise` */
  readonly l1Form?: L1Form;
}

/** One MLP training step with the penalty: loss + α·‖θ‖₁. */
export type L1StepOptions = TrainStepOptions & L1Penalty;

/** A general-trainer objective with the penalty: scale · (loss + logit penalty + α·‖θ‖₁). */
export type L1Objective = Objective & L1Penalty;

/** The backend itself, once it is known to honour the L1 options; otherwise an error naming it. */
export function withL1Forms(backend: MlpCompute): L1MlpCompute;
export function withL1Forms(backend: TrainerCompute): L1TrainerCompute;
export function withL1Forms(backend: MlpCompute | TrainerCompute): L1MlpCompute | L1TrainerCompute {
  if (backend.extensions?.includes(L1_FORMS_EXTENSION)) return backend as L1MlpCompute | L1TrainerCompute;
  throw new Error(`the ${backend.name} compute backend does not implement the L1 penalty (extension "${L1_FORMS_EXTENSION}"); choose a backend that does with --backend (docs/backends.md)`);
}

/** An MLP backend whose trainers take the L1 options. */
export interface L1MlpTrainer extends MlpTrainer {
  trainStep(x: Float32Array, labels: Int32Array, options: L1StepOptions): BatchLoss | Promise<BatchLoss>;
}
export interface L1MlpCompute extends MlpCompute {
  createTrainer(layers: LayerSizes, init: MlpParams, loss: OutputLoss): L1MlpTrainer | Promise<L1MlpTrainer>;
}

/** A general-trainer backend whose networks take the L1 objective. */
export interface L1Network extends Network {
  step(batch: Batch, objective: L1Objective): StepResult;
  steps(batch: Batch, objective: L1Objective, count: number): StepResult;
  gradient(batch: Batch, objective: L1Objective): { readonly value: number; readonly gradient: Float64Array };
}
export interface L1TrainerCompute extends TrainerCompute {
  createNetwork(options: CreateNetworkOptions): L1Network;
}
