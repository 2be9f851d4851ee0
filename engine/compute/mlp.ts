/**
 * The narrow training interface for the small fully-connected networks of the studies: one
 * call per batch (forward, loss, backward, update) and one call for evaluation, so a backend
 * (tfjs, pure JS, native kernels) can replace the whole step without touching a node.
 */

/** Layer sizes, e.g. [784, 100, 10]; ReLU between layers, linear output. */
export type LayerSizes = readonly number[];

/** `notebook`: induced matrix 1-norm of each weight matrix + Σ|b|; `elementwise`: Σ|p|. */
export type L1Form = 'notebook' | 'elementwise';

export type OutputLoss = 'softmax-cross-entropy' | 'bce-with-logits';

export interface MlpParams {
  /** weights[l] is out×in row-major (PyTorch nn.Linear layout), biases[l] has length out */
  readonly weights: Float32Array[];
  readonly biases: Float32Array[];
}

export interface TrainStepOptions {
  readonly lr: number;
  /** L1 coefficient α (0 disables) */
  readonly l1?: number;
  readonly l1Form?: L1Form;
}

export interface BatchLoss {
  /** data loss (batch mean) */
  readonly loss: number;
  /** α·penalty added to the loss */
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
  createTrainer(layers: LayerSizes, init: MlpParams, loss: OutputLoss): MlpTrainer | Promise<MlpTrainer>;
}
