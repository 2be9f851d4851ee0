/**
 * Linear head z = W(γ∘x) (+ b). With γ given it is the thesis' toy model: no bias and the
 * scaled initialisation U(±1/√d)·0.01/γ_j, so features with a large γ are learnt faster.
 * The loops are the hot path of the synthetic study: x is float32, accumulators float64.
 */
import type { RandomSource } from '../../../engine/random.ts';
import { argmaxLabel, outputLoss, type Head, type PreparedSplit } from './head.ts';

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

  private logits(x: Float32Array, row: number, out: Float64Array, off: number): void {
    const { d, k, params } = this;
    const base = row * d;
    for (let c = 0; c < k; c++) {
      const w = c * d;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      let j = 0;
      for (; j + 3 < d; j += 4) {
        s0 += params[w + j]! * x[base + j]!;
        s1 += params[w + j + 1]! * x[base + j + 1]!;
        s2 += params[w + j + 2]! * x[base + j + 2]!;
        s3 += params[w + j + 3]! * x[base + j + 3]!;
      }
      for (; j < d; j++) s0 += params[w + j]! * x[base + j]!;
      out[off + c] = s0 + s1 + s2 + s3 + (this.bias ? params[k * d + c]! : 0);
    }
  }

  forward(split: PreparedSplit, idx: Int32Array, batch: number, losses: Float64Array): void {
    this.split = split;
    this.idx = idx;
    this.batch = batch;
    const { k } = this;
    for (let i = 0; i < batch; i++) {
      this.logits(split.x, idx[i]!, this.z, i * k);
      losses[i] = outputLoss(this.z, i * k, k, split.y[idx[i]!]!, this.dz);
    }
  }

  backward(coef: Float64Array): void {
    const split = this.split!;
    const { d, k, grad } = this;
    const x = split.x;
    grad.fill(0);
    for (let i = 0; i < this.batch; i++) {
      const base = this.idx[i]! * d;
      for (let c = 0; c < k; c++) {
        const r = coef[i]! * this.dz[i * k + c]!;
        if (r === 0) continue;
        const w = c * d;
        for (let j = 0; j < d; j++) grad[w + j]! += r * x[base + j]!;
        if (this.bias) grad[k * d + c]! += r;
      }
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
    for (let i = 0; i < split.n; i++) {
      this.logits(split.x, i, z, 0);
      out[i] = argmaxLabel(z, 0, k);
    }
  }
}
