/**
 * The narrow training interface for the small fully-connected networks of the studies: one
 * call per batch (forward, loss, backward, update) and one call for evaluation, so a backend
 * (tfjs, pure JS, native kernels) can replace the whole step without touching a node.
 */

/** Layer sizes, e.g. [784, 100, 10]; ReLU between layers, linear output. */
export type LayerSizes = readonly number[];

export type OutputLoss = 'softmax-cross-entropy' | 'bce-with-logits';

export interface MlpParams {
  /** weights[l] is out×in row-major (PyTorch nn.Linear layout), biases[l] has length out */
  readonly weights: Float32Array[];
  readonly biases: Float32Array[];
}

/** A backend may take more options through a named extension (compute/extensions/, e.g. the L1 penalty). */
export interface TrainStepOptions {
  readonly lr: number;
}

export interface BatchLoss {
  /** data loss (batch mean) */
  readonly loss: number;
  /** the penalty an extension adds to the loss (0 without one) */
  readonly penalty: number;
}

export interface Evaluation {
  readonly loss: number;
  readonly correct: number;
  readonly count: number;
}

export interface MlpTrainer {
  /** x: batch×in row-major; labels: class indices (softmax) or 0/1 (bce). */
  trainStep(x: Float32Array, labels: Int32Array, options: TrainStepOptions): BatchLoss | Promise<BatchLoss>;
  evaluate(x: Float32Array, labels: Int32Array): Evaluation | Promise<Evaluation>;
  getParams(): MlpParams | Promise<MlpParams>;
  dispose(): void;
}

export interface MlpCompute {
  readonly name: string;
  /** the extensions (compute/extensions/) this backend honours, e.g. `l1-forms` */
  readonly extensions?: readonly string[];
  createTrainer(layers: LayerSizes, init: MlpParams, loss: OutputLoss): MlpTrainer | Promise<MlpTrainer>;
}
