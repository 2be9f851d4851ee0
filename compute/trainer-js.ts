/**
 * The general trainer in plain typed-array JavaScript (backend `js`), in float32 or float64.
 * Forward and backward run layer by layer over whole batches; the optimiser updates the flat
 * parameter vector. Float64 is the reference path for gradient checks and float64 studies.
 */
import { activate, activationBackward, batchNormBackward, batchNormForward, linearBackward, linearForward, type BatchNormCache } from './trainer-js-kernels.ts';
import { parameterLayout, packParameters, type ParameterLayout } from './trainer-layout.ts';
import { checkTargets, lossAndGradient, logitPenaltyAndGradient } from './trainer-loss.ts';
import { l1PenaltyAndGradient } from './extensions/l1-forms-trainer.ts';
import { createOptimizer, type OptimizerState } from './trainer-optimizer.ts';
import { MaskStream } from './mask-stream.ts';
import type { Batch, CreateNetworkOptions, NetworkSpec, ParamArray, StepResult, UniformSource } from '../engine/compute/trainer.ts';
import { L1_FORMS_EXTENSION, type L1Network, type L1Objective, type L1TrainerCompute } from './extensions/l1-forms.ts';

type ArrayType = Float32ArrayConstructor | Float64ArrayConstructor;

/** per-layer work arrays for one batch size */
interface Buffers {
  readonly rows: number;
  readonly z: ParamArray[];
  /** the activation's input of the last forward pass (one of z, norm, dropped) */
  readonly pre: ParamArray[];
  readonly norm: ParamArray[];
  readonly dropped: ParamArray[];
  readonly a: ParamArray[];
  readonly mask: (ParamArray | undefined)[];
  readonly bn: (BatchNormCache | undefined)[];
  /** ∂/∂a of each layer's output, float64 */
  readonly da: Float64Array[];
}

export class JsNetwork implements L1Network {
  readonly parameterCount: number;
  private readonly layout: ParameterLayout;
  private readonly Arr: ArrayType;
  private readonly params: ParamArray;
  private readonly grad: Float64Array;
  private readonly runningMean: Float64Array[];
  private readonly runningVar: Float64Array[];
  private readonly optimizer: OptimizerState;
  private readonly random: UniformSource | undefined;
  private buffers: Buffers | undefined;
  private readonly masks = new MaskStream();

  constructor(readonly spec: NetworkSpec, options: CreateNetworkOptions) {
    this.layout = parameterLayout(spec);
    this.Arr = spec.precision === 'float32' ? Float32Array : Float64Array;
    this.parameterCount = this.layout.count;
    this.params = packParameters(spec, this.layout, options.init, new this.Arr(this.layout.count));
    this.grad = new Float64Array(this.layout.count);
    this.runningMean = spec.layers.map((l) => new Float64Array(l.batchNorm ? l.units : 0));
    this.runningVar = spec.layers.map((l) => new Float64Array(l.batchNorm ? l.units : 0).fill(1));
    this.optimizer = createOptimizer(options.optimizer, this.layout.count, this.layout.trainable, spec.precision);
    this.random = options.random;
    if (spec.layers.some((l) => (l.dropout ?? 0) > 0) && !this.random) throw new RangeError('a network with dropout needs a random source');
  }

  step(batch: Batch, objective: L1Objective): StepResult {
    const r = this.evaluateObjective(batch, objective, true);
    this.optimizer.step(this.params, this.grad);
    return r;
  }

  steps(batch: Batch, objective: L1Objective, count: number): StepResult {
    if (!Number.isInteger(count) || count < 1) throw new RangeError(`steps: count must be a positive integer, got ${count}`);
    let r = this.step(batch, objective);
    for (let k = 1; k < count; k++) r = this.step(batch, objective);
    return r;
  }

  gradient(batch: Batch, objective: L1Objective): { readonly value: number; readonly gradient: Float64Array } {
    const r = this.evaluateObjective(batch, objective, false);
    return { value: (objective.scale ?? 1) * (r.loss + r.penalty), gradient: Float64Array.from(this.grad) };
  }

  logits(x: ParamArray): Float64Array {
    const rows = this.rowsOf(x);
    return Float64Array.from(this.forward(x, rows, false, false));
  }

  jacobian(x: ParamArray): Float64Array {
    const rows = this.rowsOf(x);
    const outputs = this.outputs;
    if (outputs !== 1) throw new RangeError(`jacobian needs a one-output network, this one has ${outputs}`);
    const P = this.layout.count, n = this.spec.inputs;
    const J = new Float64Array(rows * P);
    const one = Float64Array.of(1);
    for (let r = 0; r < rows; r++) {
      const row = x.subarray(r * n, (r + 1) * n);
      this.forward(row, 1, false, false);
      this.grad.fill(0);
      this.backward(row, 1, one, false);
      J.set(this.grad, r * P);
    }
    return J;
  }

  getParameters(): Float64Array {
    return Float64Array.from(this.params);
  }

  setParameters(flat: ArrayLike<number>): void {
    if (flat.length !== this.layout.count) throw new RangeError(`setParameters: expected ${this.layout.count} values, got ${flat.length}`);
    for (let i = 0; i < flat.length; i++) this.params[i] = flat[i]!;
  }

  dispose(): void {
    this.buffers = undefined;
  }

  /**
   * Batch-norm running statistics, per batch-norm layer in order: its means, then its
   * variances (the layout of the native addon's netRunningStats, which a native network's
   * twin copies before answering in eval mode).
   */
  setRunningStatistics(flat: ArrayLike<number>): void {
    let at = 0;
    this.spec.layers.forEach((l, i) => {
      if (!l.batchNorm) return;
      for (const target of [this.runningMean[i]!, this.runningVar[i]!]) for (let u = 0; u < l.units; u++) target[u] = flat[at++]!;
    });
    if (at !== flat.length) throw new RangeError(`setRunningStatistics: expected ${at} values, got ${flat.length}`);
  }

  private get outputs(): number {
    return this.spec.layers[this.spec.layers.length - 1]!.units;
  }

  private rowsOf(x: ParamArray): number {
    const n = this.spec.inputs;
    if (x.length === 0 || x.length % n !== 0) throw new RangeError(`inputs: ${x.length} values are not rows of ${n}`);
    return x.length / n;
  }

  /** forward in train mode, objective, and its gradient into this.grad */
  private evaluateObjective(batch: Batch, objective: L1Objective, updateRunning: boolean): StepResult {
    const rows = this.rowsOf(batch.x), outputs = this.outputs;
    checkTargets(objective.loss, rows, outputs, batch.targets);
    const scale = objective.scale ?? 1;
    const logits = this.forward(batch.x, rows, true, updateRunning);
    const dOut = new Float64Array(rows * outputs);
    const loss = lossAndGradient(objective.loss, logits, batch.targets, rows, outputs, scale, dOut);
    let penalty = 0;
    const c = objective.logitPenalty ?? 0;
    if (c !== 0) penalty += logitPenaltyAndGradient(c, logits, scale, dOut);
    this.grad.fill(0);
    this.backward(batch.x, rows, dOut, true);
    const l1 = objective.l1 ?? 0;
    if (l1 !== 0) penalty += l1 * l1PenaltyAndGradient(objective.l1Form ?? 'elementwise', this.params, this.layout, scale * l1, this.grad);
    return { loss, penalty, logits };
  }

  private ensure(rows: number): Buffers {
    if (this.buffers?.rows === rows) return this.buffers;
    const per = (units: number) => new this.Arr(rows * units);
    const L = this.spec.layers;
    this.buffers = {
      rows,
      z: L.map((l) => per(l.units)),
      pre: L.map(() => new this.Arr(0)),
      norm: L.map((l) => (l.batchNorm ? per(l.units) : new this.Arr(0))),
      dropped: L.map((l) => ((l.dropout ?? 0) > 0 ? per(l.units) : new this.Arr(0))),
      a: L.map((l) => per(l.units)),
      mask: L.map((l) => ((l.dropout ?? 0) > 0 ? per(l.units) : undefined)),
      bn: L.map((l) => (l.batchNorm ? { xhat: new Float64Array(rows * l.units), invStd: new Float64Array(l.units) } : undefined)),
      da: L.map((l) => new Float64Array(rows * l.units)),
    };
    return this.buffers;
  }

  /** returns the output layer's activations (the logits), a view into the buffers */
  private forward(x: ParamArray, rows: number, train: boolean, updateRunning: boolean): ParamArray {
    const b = this.ensure(rows);
    let input = x;
    if (train && this.random) this.masks.reseed(this.random.uniform());
    this.spec.layers.forEach((l, i) => {
      const s = this.layout.layers[i]!, n = rows * l.units;
      linearForward(input, rows, s.inputs, this.params, s.weight, s.bias, l.units, b.z[i]!);
      // pre: what the activation reads; the linear output itself when no batch-norm or dropout
      let cur = b.z[i]!;
      if (l.batchNorm) {
        batchNormForward(cur, rows, l.units, this.params, s.gamma, s.beta, train, this.runningMean[i]!, this.runningVar[i]!, updateRunning, b.bn[i]!, b.norm[i]!);
        cur = b.norm[i]!;
      }
      const p = l.dropout ?? 0;
      if (train && p > 0) {
        const mask = b.mask[i]!, dropped = b.dropped[i]!, keep = 1 / (1 - p);
        for (let j = 0; j < n; j++) {
          mask[j] = this.masks.uniform() < p ? 0 : keep;
          dropped[j] = cur[j]! * mask[j]!;
        }
        cur = dropped;
      }
      b.pre[i] = cur;
      activate(l.activation, cur, n, b.a[i]!);
      input = b.a[i]!;
    });
    return b.a[this.spec.layers.length - 1]!;
  }

  /** back-propagates ∂/∂logits (rows × outputs) into this.grad (added) */
  private backward(x: ParamArray, rows: number, dOut: Float64Array, train: boolean): void {
    const b = this.ensure(rows);
    const L = this.spec.layers;
    b.da[L.length - 1]!.set(dOut);
    for (let i = L.length - 1; i >= 0; i--) {
      const l = L[i]!, s = this.layout.layers[i]!, n = rows * l.units;
      const d = b.da[i]!;
      activationBackward(l.activation, b.pre[i]!, b.a[i]!, n, d);
      if (train && (l.dropout ?? 0) > 0) {
        const mask = b.mask[i]!;
        for (let j = 0; j < n; j++) d[j] = d[j]! * mask[j]!;
      }
      if (l.batchNorm) batchNormBackward(rows, l.units, this.params, s.gamma, s.beta, train, b.bn[i]!, d, this.grad);
      const input = i === 0 ? x : b.a[i - 1]!;
      linearBackward(input, rows, s.inputs, this.params, s.weight, s.bias, l.units, d, this.grad, i > 0 ? b.da[i - 1] : undefined);
    }
  }
}

export function jsTrainer(): L1TrainerCompute {
  return { name: 'js', extensions: [L1_FORMS_EXTENSION], createNetwork: (options) => new JsNetwork(options.spec, options) };
}

export async function load(): Promise<L1TrainerCompute> {
  return jsTrainer();
}
