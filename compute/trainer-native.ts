/**
 * The general trainer on the native addon (backend `native`): dense float32 networks train in
 * fused full-batch steps (net.c: forward, loss, backward and update on OpenBLAS sgemm, one call
 * for any number of steps, arguments validated once per call); a dense network's logits come from
 * the same native forward. Jacobians, gradient queries and the logits of batch-norm or dropout
 * networks run on a JS twin that copies the native
 * parameters (and batch-norm running statistics) when asked, so both backends answer those with
 * the same code. Batch-norm and dropout run natively too (net_layers.c): the dropout masks come
 * from the JS trainer's own mask stream, reseeded per step from one uniform of the network's
 * random source, drawn here and passed along, so both backends drop the same units. Float64
 * networks are built on the JS trainer; the L1 forms are refused by `step` here (the sparse study
 * keeps its own MLP kernels).
 */
import { native, type NativeAddon, type NetHandle } from '../native/load.ts';
import { BackendUnavailable } from '../engine/compute/backend-unavailable.ts';
import { JsNetwork } from './trainer-js.ts';
import { checkTargets } from './trainer-loss.ts';
import type { L1Objective } from './extensions/l1-forms.ts';
import type { Batch, CreateNetworkOptions, LossSpec, Network, NetworkSpec, Objective, OptimizerSpec, ParamArray, StepResult, TrainerCompute, UniformSource } from '../engine/compute/trainer.ts';

const ACTIVATION = { identity: 0, relu: 1, tanh: 2, sigmoid: 3 } as const;

function lossCode(loss: LossSpec): number {
  if (loss.kind === 'bce-with-logits') return loss.labels === 'zero-one' ? 0 : 1;
  return loss.kind === 'softmax-cross-entropy' ? 2 : 3;
}

function optimizerVector(o: OptimizerSpec): Float64Array {
  return o.kind === 'sgd'
    ? Float64Array.of(0, o.lr, o.momentum ?? 0, o.weightDecay ?? 0, 0, 0, 0)
    : Float64Array.of(1, o.lr, 0, o.weightDecay ?? 0, o.beta1 ?? 0.9, o.beta2 ?? 0.999, o.eps ?? 1e-8);
}

/** true when the fused native step covers this network (float32: every layer kind) */
export function nativeCovers(spec: NetworkSpec): boolean {
  return spec.precision === 'float32';
}

const hasDropout = (spec: NetworkSpec) => spec.layers.some((l) => (l.dropout ?? 0) > 0);

const f32 = (a: ParamArray): Float32Array => (a instanceof Float32Array ? a : Float32Array.from(a));

export class NativeNetwork implements Network {
  readonly parameterCount: number;
  private readonly handle: NetHandle;
  private readonly twin: JsNetwork;
  private twinFresh = true;
  private logitBuffer = new Float32Array(0);
  private readonly random: UniformSource | undefined;
  /** no batch-norm and no dropout: eval mode is train mode, and netLogits answers */
  private readonly dense: boolean;

  constructor(private readonly addon: NativeAddon, readonly spec: NetworkSpec, options: CreateNetworkOptions) {
    this.twin = new JsNetwork(spec, options);
    this.random = hasDropout(spec) ? options.random : undefined;
    this.dense = !hasDropout(spec) && !spec.layers.some((l) => l.batchNorm);
    this.parameterCount = this.twin.parameterCount;
    const L = spec.layers;
    this.handle = addon.netCreate(
      Int32Array.from([spec.inputs, ...L.map((l) => l.units)]),
      Int32Array.from(L.map((l) => ACTIVATION[l.activation])),
      Int32Array.from(L.map((l) => (l.bias === false ? 0 : 1))),
      Int32Array.from(L.map((l) => (l.frozen ? 1 : 0))),
      Float32Array.from(this.twin.getParameters()),
      optimizerVector(options.optimizer),
      Int32Array.from(L.map((l) => (l.batchNorm ? 1 : 0))),
      Float64Array.from(L.map((l) => l.dropout ?? 0)),
    );
  }

  step(batch: Batch, objective: Objective): StepResult {
    return this.steps(batch, objective, 1);
  }

  steps(batch: Batch, objective: Objective, count: number): StepResult {
    if (((objective as L1Objective).l1 ?? 0) !== 0) throw new RangeError('the native trainer has no L1 penalty; use the js trainer (--backend js) for L1 objectives');
    const rows = batch.x.length / this.spec.inputs;
    const outputs = this.spec.layers[this.spec.layers.length - 1]!.units;
    if (this.logitBuffer.length !== rows * outputs) this.logitBuffer = new Float32Array(rows * outputs);
    // the JS trainer reseeds its mask stream from one uniform per step: draw the same ones, in
    // order, once the call is known to be valid (as JS, a refused step draws nothing)
    let seeds: Float64Array | null = null;
    if (this.random) {
      if (!Number.isInteger(count) || count < 1) throw new RangeError(`steps: count must be a positive integer, got ${count}`);
      checkTargets(objective.loss, rows, outputs, batch.targets);
      seeds = Float64Array.from({ length: count }, () => this.random!.uniform());
    }
    const r = this.addon.netSteps(this.handle, f32(batch.x), f32(batch.targets), lossCode(objective.loss), objective.logitPenalty ?? 0, objective.scale ?? 1, count, this.logitBuffer, seeds);
    this.twinFresh = false;
    return { loss: r.loss, penalty: r.penalty, logits: this.logitBuffer };
  }

  gradient(batch: Batch, objective: Objective): { readonly value: number; readonly gradient: Float64Array } {
    return this.synced().gradient(batch, objective);
  }

  /**
   * A dense network answers natively (the same forward as the step), so a full-batch evaluation
   * per step stays cheap; one with batch-norm or dropout answers on the JS twin in eval mode.
   */
  logits(x: ParamArray): Float64Array {
    if (!this.dense) return this.synced().logits(x);
    const outputs = this.spec.layers[this.spec.layers.length - 1]!.units;
    const out = new Float32Array((x.length / this.spec.inputs) * outputs);
    if (x.length > 0) this.addon.netLogits(this.handle, f32(x), out);
    return Float64Array.from(out);
  }

  jacobian(x: ParamArray): Float64Array {
    return this.synced().jacobian(x);
  }

  getParameters(): Float64Array {
    return Float64Array.from(this.addon.netGetParams(this.handle));
  }

  setParameters(flat: ArrayLike<number>): void {
    // the twin answers eval-mode queries next: it needs the running statistics of the steps taken so far
    if (!this.twinFresh) this.twin.setRunningStatistics(this.addon.netRunningStats(this.handle));
    this.twin.setParameters(flat);
    this.addon.netSetParams(this.handle, Float32Array.from(this.twin.getParameters()));
    this.twinFresh = true;
  }

  dispose(): void {
    this.addon.netDispose(this.handle);
    this.twin.dispose();
  }

  private synced(): JsNetwork {
    if (!this.twinFresh) {
      this.twin.setParameters(this.addon.netGetParams(this.handle));
      this.twin.setRunningStatistics(this.addon.netRunningStats(this.handle));
      this.twinFresh = true;
    }
    return this.twin;
  }
}

/** the trainer on the addon; its OpenBLAS thread count is part of its identity in the key, as for linalg and mlp */
export interface NativeTrainerCompute extends TrainerCompute {
  setThreads(n: number): void;
  getThreads(): number;
}

export function nativeTrainer(addon: NativeAddon): NativeTrainerCompute {
  return {
    name: 'native',
    createNetwork: (options) => (nativeCovers(options.spec) ? new NativeNetwork(addon, options.spec, options) : new JsNetwork(options.spec, options)),
    setThreads: (n) => addon.setThreads(n),
    getThreads: () => addon.getThreads(),
  };
}

export async function load(): Promise<NativeTrainerCompute> {
  const r = native.loadNative();
  if (!r.ok) throw new BackendUnavailable('native', r.reason);
  return nativeTrainer(r.addon);
}
