/**
 * The general trainer on the native addon (backend `native`): dense float32 networks train in
 * fused full-batch steps (net.c: forward, loss, backward and update on OpenBLAS sgemm, one call
 * for any number of steps, arguments validated once per call) and logits come from the same native
 * forward. Jacobians and gradient queries run on a JS twin that copies the native
 * parameters when asked, so both backends answer those with the same code. Networks the fused
 * step does not cover (float64, batch-norm, dropout) are built on the JS trainer; the L1 forms
 * are refused by `step` here (the sparse study keeps its own MLP kernels).
 */
import { native, type NativeAddon, type NetHandle } from '../../native/load.ts';
import { BackendUnavailable } from './backend-unavailable.ts';
import { JsNetwork } from './trainer-js.ts';
import type { Batch, CreateNetworkOptions, LossSpec, Network, NetworkSpec, Objective, OptimizerSpec, ParamArray, StepResult, TrainerCompute } from './trainer.ts';

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

/** true when the fused native step covers this network */
export function nativeCovers(spec: NetworkSpec): boolean {
  return spec.precision === 'float32' && spec.layers.every((l) => !l.batchNorm && !((l.dropout ?? 0) > 0));
}

const f32 = (a: ParamArray): Float32Array => (a instanceof Float32Array ? a : Float32Array.from(a));

export class NativeNetwork implements Network {
  readonly parameterCount: number;
  private readonly handle: NetHandle;
  private readonly twin: JsNetwork;
  private twinFresh = true;
  private logitBuffer = new Float32Array(0);

  constructor(private readonly addon: NativeAddon, readonly spec: NetworkSpec, options: CreateNetworkOptions) {
    this.twin = new JsNetwork(spec, options);
    this.parameterCount = this.twin.parameterCount;
    const L = spec.layers;
    this.handle = addon.netCreate(
      Int32Array.from([spec.inputs, ...L.map((l) => l.units)]),
      Int32Array.from(L.map((l) => ACTIVATION[l.activation])),
      Int32Array.from(L.map((l) => (l.bias === false ? 0 : 1))),
      Int32Array.from(L.map((l) => (l.frozen ? 1 : 0))),
      Float32Array.from(this.twin.getParameters()),
      optimizerVector(options.optimizer),
    );
  }

  step(batch: Batch, objective: Objective): StepResult {
    return this.steps(batch, objective, 1);
  }

  steps(batch: Batch, objective: Objective, count: number): StepResult {
    if ((objective.l1 ?? 0) !== 0) throw new RangeError('the native trainer has no L1 penalty; use the js trainer (--backend js) for L1 objectives');
    const rows = batch.x.length / this.spec.inputs;
    const outputs = this.spec.layers[this.spec.layers.length - 1]!.units;
    if (this.logitBuffer.length !== rows * outputs) this.logitBuffer = new Float32Array(rows * outputs);
    const r = this.addon.netSteps(this.handle, f32(batch.x), f32(batch.targets), lossCode(objective.loss), objective.logitPenalty ?? 0, objective.scale ?? 1, count, this.logitBuffer);
    this.twinFresh = false;
    return { loss: r.loss, penalty: r.penalty, logits: this.logitBuffer };
  }

  gradient(batch: Batch, objective: Objective): { readonly value: number; readonly gradient: Float64Array } {
    return this.synced().gradient(batch, objective);
  }

  /** natively (the same forward as the step): a full-batch evaluation per step stays cheap */
  logits(x: ParamArray): Float64Array {
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
      this.twinFresh = true;
    }
    return this.twin;
  }
}

/** `getThreads` joins the backend identity (backends.ts: blasIdentity); without it the selection failed and fell back to js */
export function nativeTrainer(addon: NativeAddon): TrainerCompute & { getThreads(): number } {
  return {
    name: 'native',
    getThreads: () => addon.getThreads(),
    createNetwork: (options) => (nativeCovers(options.spec) ? new NativeNetwork(addon, options.spec, options) : new JsNetwork(options.spec, options)),
  };
}

export async function load(): Promise<TrainerCompute> {
  const r = native.loadNative();
  if (!r.ok) throw new BackendUnavailable('native', r.reason);
  return nativeTrainer(r.addon);
}
