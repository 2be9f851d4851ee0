/**
 * Linear head z = W(γ∘x) (+ b). With γ given it is the thesis' toy model: no bias and the
 * scaled initialisation U(±1/√d)·0.01/γ_j, so features with a large γ are learnt faster.
 * The loops (kernels.ts) are the hot path of the synthetic study: x float32, accumulators float64.
 */
import type { RandomSource } from '../../../engine/random.ts';
import { argmaxLabel, outputLoss, type Head, type PreparedSplit } from './head.ts';
import { accumulateRows, dotRows } from './kernels.ts';

export class LinearHead implements Head {
  readonly params: Float64Array;
  readonly grad: Float64Array;
  private readonly z: Float64Array;
  private readonly dz: Float64Array;
  private split: PreparedSplit | undefined;
  private idx: Int32Array = new Int32Array(0);
  private batch = 0;

  constructor(readonly d: number, readonly k: number, readonly bias: boolean, maxBatch: number) {
    this.params = new Float64Array(k * d + (bias ? k : 0));
    this.grad = new Float64Array(this.params.length);
    this.z = new Float64Array(Math.max(maxBatch, 1) * k);
    this.dz = new Float64Array(this.z.length);
  }

  /** PyTorch nn.Linear's default init, times 0.01/γ_j when scales are given */
  initialise(random: RandomSource, gamma?: Float64Array): void {
    const bound = 1 / Math.sqrt(this.d);
    const { d, k } = this;
    for (let c = 0; c < k; c++) {
      for (let j = 0; j < d; j++) {
        const w = -bound + 2 * bound * random.uniform();
        this.params[c * d + j] = gamma ? (0.01 / gamma[j]!) * w : w;
      }
    }
    if (this.bias) for (let c = 0; c < k; c++) this.params[k * d + c] = -bound + 2 * bound * random.uniform();
  }

  forward(split: PreparedSplit, idx: Int32Array, batch: number, losses: Float64Array): void {
    this.split = split;
    this.idx = idx;
    this.batch = batch;
    const { d, k, params, z } = this;
    for (let c = 0; c < k; c++) dotRows(params, c * d, split.x, d, idx, batch, z, c, k);
    for (let i = 0; i < batch; i++) {
      if (this.bias) for (let c = 0; c < k; c++) z[i * k + c]! += params[k * d + c]!;
      losses[i] = outputLoss(z, i * k, k, split.y[idx[i]!]!, this.dz);
    }
  }

  backward(coef: Float64Array): void {
    const { d, k, grad, dz, batch } = this;
    grad.fill(0);
    for (let i = 0; i < batch; i++) for (let c = 0; c < k; c++) dz[i * k + c]! *= coef[i]!;
    for (let c = 0; c < k; c++) {
      accumulateRows(grad, c * d, this.split!.x, d, this.idx, batch, dz, c, k);
      if (this.bias) for (let i = 0; i < batch; i++) grad[k * d + c]! += dz[i * k + c]!;
    }
  }

  predict(split: PreparedSplit, out: Int32Array): void {
    const { d, k, params } = this;
    const z = new Float64Array(k);
    if (split.sparse) {
      // validation and test of the toy have zero noise: only the active columns matter
      const { active, x } = split.sparse;
      const m = active.length;
      for (let i = 0; i < split.n; i++) {
        for (let c = 0; c < k; c++) {
          let s = this.bias ? params[k * d + c]! : 0;
          for (let t = 0; t < m; t++) s += params[c * d + active[t]!]! * x[i * m + t]!;
          z[c] = s;
        }
        out[i] = argmaxLabel(z, 0, k);
      }
      return;
    }
    const all = new Float64Array(split.n * k);
    const rows = new Int32Array(split.n).map((_, i) => i);
    for (let c = 0; c < k; c++) dotRows(params, c * d, split.x, d, rows, split.n, all, c, k);
    for (let i = 0; i < split.n; i++) {
      if (this.bias) for (let c = 0; c < k; c++) all[i * k + c]! += params[k * d + c]!;
      out[i] = argmaxLabel(all, i * k, k);
    }
  }
}
