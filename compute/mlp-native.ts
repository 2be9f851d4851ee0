/**
 * MLP training on the native addon: parameters live in native memory between calls and each
 * batch is one call (forward, loss, backward, L1 subgradient, SGD update on OpenBLAS sgemm).
 * `trainEpoch` goes further: the training set is copied into native memory once and a whole
 * shuffled epoch runs on the libuv pool, off the event loop, in one call.
 * Semantics match mlp-js.ts: float32 parameters, sign(0) = 0, the notebook L1 form touches only the
 * input column that carries each matrix's induced 1-norm (the first one on ties).
 */
import { native, type MlpHandle, type NativeAddon } from '../native/load.ts';
import { BackendUnavailable } from '../engine/compute/backend-unavailable.ts';
import { checkLayers } from './mlp-js.ts';
import type { BatchLoss, Evaluation, LayerSizes, MlpParams, OutputLoss } from '../engine/compute/mlp.ts';
import { L1_FORMS_EXTENSION, type L1MlpCompute, type L1MlpTrainer, type L1StepOptions } from './extensions/l1-forms.ts';

export interface EpochResult {
  /** per-batch data loss (batch mean) and α·penalty, in batch order */
  readonly losses: Float64Array;
  readonly penalties: Float64Array;
}

export class NativeTrainer implements L1MlpTrainer {
  private readonly handle: MlpHandle;
  private heldX: Float32Array | undefined;
  private heldLabels: Int32Array | undefined;

  constructor(private readonly addon: NativeAddon, layers: LayerSizes, init: MlpParams, loss: OutputLoss) {
    checkLayers(layers, init, loss);
    this.handle = addon.mlpCreate(Int32Array.from(layers), [...init.weights], [...init.biases], loss);
  }

  trainStep(x: Float32Array, labels: Int32Array, options: L1StepOptions): BatchLoss {
    return this.addon.mlpStep(this.handle, x, labels, options.lr, options.l1 ?? 0, options.l1Form ?? 'notebook');
  }

  /**
   * One epoch over `order` (indices into x's rows) in batches of `batchSize`, off the event loop.
   * x and labels are copied into native memory the first time they are seen (by identity), so
   * repeated epochs over the same arrays cost no copy; do not mutate them in between.
   */
  async trainEpoch(x: Float32Array, labels: Int32Array, order: Int32Array, batchSize: number, options: L1StepOptions): Promise<EpochResult> {
    this.hold(x, labels);
    const out = await this.addon.mlpEpoch(this.handle, order, batchSize, options.lr, options.l1 ?? 0, options.l1Form ?? 'notebook', true);
    return split(out);
  }

  /** the same epoch on the calling thread (for worker threads, where blocking is fine) */
  trainEpochSync(x: Float32Array, labels: Int32Array, order: Int32Array, batchSize: number, options: L1StepOptions): EpochResult {
    this.hold(x, labels);
    return split(this.addon.mlpEpoch(this.handle, order, batchSize, options.lr, options.l1 ?? 0, options.l1Form ?? 'notebook', false));
  }

  private hold(x: Float32Array, labels: Int32Array): void {
    if (x === this.heldX && labels === this.heldLabels) return;
    this.addon.mlpSetData(this.handle, x, labels);
    this.heldX = x;
    this.heldLabels = labels;
  }

  evaluate(x: Float32Array, labels: Int32Array): Evaluation {
    return this.addon.mlpEvaluate(this.handle, x, labels);
  }

  getParams(): MlpParams {
    return this.addon.mlpGetParams(this.handle);
  }

  dispose(): void {
    this.heldX = undefined;
    this.heldLabels = undefined;
    this.addon.mlpDispose(this.handle);
  }
}

function split(out: Float64Array): EpochResult {
  const n = out.length / 2;
  const losses = new Float64Array(n), penalties = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    losses[k] = out[2 * k]!;
    penalties[k] = out[2 * k + 1]!;
  }
  return { losses, penalties };
}

export interface NativeMlpCompute extends L1MlpCompute {
  createTrainer(layers: LayerSizes, init: MlpParams, loss: OutputLoss): NativeTrainer;
  setThreads(n: number): void;
  getThreads(): number;
}

export function nativeMlp(addon: NativeAddon): NativeMlpCompute {
  return {
    name: 'native',
    extensions: [L1_FORMS_EXTENSION],
    createTrainer: (layers, init, loss) => new NativeTrainer(addon, layers, init, loss),
    setThreads: (n) => addon.setThreads(n),
    getThreads: () => addon.getThreads(),
  };
}

export async function load(): Promise<NativeMlpCompute> {
  const r = native.loadNative();
  if (!r.ok) throw new BackendUnavailable('native', r.reason);
  return nativeMlp(r.addon);
}
