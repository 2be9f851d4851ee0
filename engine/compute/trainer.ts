/**
 * The general network trainer: fully connected networks of any depth, trained step by step by a
 * backend (the `js` typed-array trainer, the native addon) behind one narrow interface. It knows
 * nothing of any study: a node builds a `NetworkSpec`, draws initial parameters, and calls
 * `step` with whatever objective the current step needs (the objective may change between steps
 * while the optimiser state stays). See docs/trainer.md.
 */

export type Activation = 'relu' | 'identity' | 'tanh' | 'sigmoid';
export type Precision = 'float32' | 'float64';
export type ParamArray = Float32Array | Float64Array;

/** One fully connected layer: z = a Wᵀ + b → batch-norm → dropout → activation. */
export interface LayerSpec {
  readonly units: number;
  readonly activation: Activation;
  /** default true; a layer without bias has no b in its parameters */
  readonly bias?: boolean;
  /** frozen parameters get no update (no gradient step, no weight decay), as requires_grad=False */
  readonly frozen?: boolean;
  /** drop probability p in [0, 1); kept units scale by 1/(1−p) in train mode, identity in eval */
  readonly dropout?: number;
  /** BatchNorm1d on z (eps 1e-5, running-stat momentum 0.1, affine γ, β) */
  readonly batchNorm?: boolean;
}

export interface NetworkSpec {
  readonly inputs: number;
  readonly layers: readonly LayerSpec[];
  readonly precision: Precision;
}

/**
 * Flat parameter layout, layer by layer: W (units×in, row-major, PyTorch's nn.Linear layout),
 * then b (if bias), then γ and β (if batch-norm). The Jacobian's columns use the same order.
 */
export interface LayerParams {
  readonly weight: ParamArray;
  readonly bias?: ParamArray;
  readonly gamma?: ParamArray;
  readonly beta?: ParamArray;
}

/**
 * `bce-with-logits`: one output unit, loss softplus(−y±ŷ) with y± = 2t − 1 for `zero-one` labels
 * or t itself for `plus-minus`; `softmax-cross-entropy`: targets are class indices; `mse`: mean
 * over all outputs of (ŷ − t)². Every loss is the batch mean.
 */
export type LossSpec =
  | { readonly kind: 'bce-with-logits'; readonly labels: 'zero-one' | 'plus-minus' }
  | { readonly kind: 'softmax-cross-entropy' }
  | { readonly kind: 'mse' };

/**
 * What one step minimises: scale · (loss + logitPenalty · mean ŷ² + extension penalties). The
 * logit penalty is spectral decoupling's L2 on the logits (mean over batch and outputs). A
 * backend may honour more terms through a named extension (compute/extensions/, e.g. the L1
 * penalty of the sparse study, l1-forms.ts).
 */
export interface Objective {
  readonly loss: LossSpec;
  readonly logitPenalty?: number;
  readonly scale?: number;
}

/**
 * SGD: PyTorch semantics, no dampening, no Nesterov, the momentum buffer starts at the first
 * gradient, weight decay coupled (g ← g + wd·p before momentum) on every trainable parameter.
 * Adam: PyTorch's defaults (β = 0.9, 0.999, eps 1e-8) and bias correction; weight decay coupled.
 */
export type OptimizerSpec =
  | { readonly kind: 'sgd'; readonly lr: number; readonly momentum?: number; readonly weightDecay?: number }
  | { readonly kind: 'adam'; readonly lr: number; readonly beta1?: number; readonly beta2?: number; readonly eps?: number; readonly weightDecay?: number };

export interface StepResult {
  /** the data loss (batch mean), before scale */
  readonly loss: number;
  /** logitPenalty · mean ŷ² plus any extension's penalty, before scale */
  readonly penalty: number;
  /**
   * the logits of this step's forward pass (train mode, before the update), batch×outputs; valid
   * until the next call on the network
   */
  readonly logits: ParamArray;
}

/** A set of inputs (row-major, rows × inputs) and targets (one per row, or rows×outputs for mse). */
export interface Batch {
  readonly x: ParamArray;
  readonly targets: ParamArray;
}

export interface Network {
  readonly spec: NetworkSpec;
  /** number of parameters P (trainable or not) */
  readonly parameterCount: number;
  /** forward (train mode), objective, backward, one optimiser update */
  step(batch: Batch, objective: Objective): StepResult;
  /** `count` such steps on one batch (one native call where the backend fuses them); the last step's result */
  steps(batch: Batch, objective: Objective, count: number): StepResult;
  /** the gradient of the objective at the current parameters (train mode), flat layout; no update */
  gradient(batch: Batch, objective: Objective): { readonly value: number; readonly gradient: Float64Array };
  /** logits in eval mode (dropout off, batch-norm running statistics), rows × outputs */
  logits(x: ParamArray): Float64Array;
  /** ∂logit/∂θ in eval mode for a one-output network: rows × P, row-major, flat layout */
  jacobian(x: ParamArray): Float64Array;
  /** a copy of the flat parameters */
  getParameters(): Float64Array;
  setParameters(flat: ArrayLike<number>): void;
  dispose(): void;
}

/** A uniform source for dropout masks (the node's seeded `ctx.random` fits). */
export interface UniformSource {
  uniform(): number;
}

export interface CreateNetworkOptions {
  readonly spec: NetworkSpec;
  readonly init: readonly LayerParams[];
  readonly optimizer: OptimizerSpec;
  /** needed only when some layer has dropout */
  readonly random?: UniformSource;
}

export interface TrainerCompute {
  readonly name: string;
  /** the extensions (compute/extensions/) this backend honours, e.g. `l1-forms` */
  readonly extensions?: readonly string[];
  createNetwork(options: CreateNetworkOptions): Network;
}
