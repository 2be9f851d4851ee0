/**
 * One-hidden-layer ReLU head for a user's embeddings: z = W₂ relu(W₁(γ∘x) + b₁) + b₂, PyTorch's
 * default initialisation. Plain loops: meant for embedding sizes up to a few thousand.
 */
import type { RandomSource } from '../../../engine/random.ts';
import { argmaxLabel, outputLoss, type Head, type PreparedSplit } from './head.ts';

export class MlpHead implements Head {
  readonly params: Float64Array;
  readonly grad: Float64Array;
  private readonly o1: number; // offsets into params: W1 | b1 | W2 | b2
  private readonly o2: number;
  private readonly o3: number;
  private hidden: Float64Array;
  private z: Float64Array;
  private dz: Float64Array;
  private split: PreparedSplit | undefined;
  private idx: Int32Array = new Int32Array(0);
  private batch = 0;

  constructor(readonly d: number, readonly h: number, readonly k: number, maxBatch: number) {
    this.o1 = h * d;
    this.o2 = this.o1 + h;
    this.o3 = this.o2 + k * h;
    this.params = new Float64Array(this.o3 + k);
    this.grad = new Float64Array(this.params.length);
    this.hidden = new Float64Array(maxBatch * h);
    this.z = new Float64Array(maxBatch * k);
    this.dz = new Float64Array(maxBatch * k);
  }

  initialise(random: RandomSource): void {
    const b1 = 1 / Math.sqrt(this.d), b2 = 1 / Math.sqrt(this.h);
    for (let i = 0; i < this.o2; i++) this.params[i] = -b1 + 2 * b1 * random.uniform();
    for (let i = this.o2; i < this.params.length; i++) this.params[i] = -b2 + 2 * b2 * random.uniform();
  }

  private forwardRow(x: Float32Array, row: number, hid: Float64Array, ho: number, z: Float64Array, zo: number): void {
    const { d, h, k, params, o1, o2, o3 } = this;
    const base = row * d;
    for (let u = 0; u < h; u++) {
      let s = params[o1 + u]!;
      const w = u * d;
      for (let j = 0; j < d; j++) s += params[w + j]! * x[base + j]!;
      hid[ho + u] = s > 0 ? s : 0;
    }
    for (let c = 0; c < k; c++) {
      let s = params[o3 + c]!;
      for (let u = 0; u < h; u++) s += params[o2 + c * h + u]! * hid[ho + u]!;
      z[zo + c] = s;
    }
  }

  forward(split: PreparedSplit, idx: Int32Array, batch: number, losses: Float64Array): void {
    if (this.hidden.length < batch * this.h) {
      this.hidden = new Float64Array(batch * this.h);
      this.z = new Float64Array(batch * this.k);
      this.dz = new Float64Array(batch * this.k);
    }
    this.split = split;
    this.idx = idx;
    this.batch = batch;
    for (let i = 0; i < batch; i++) {
      this.forwardRow(split.x, idx[i]!, this.hidden, i * this.h, this.z, i * this.k);
      losses[i] = outputLoss(this.z, i * this.k, this.k, split.y[idx[i]!]!, this.dz);
    }
  }

  backward(coef: Float64Array): void {
    const { d, h, k, params, grad, o1, o2, o3 } = this;
    const x = this.split!.x;
    grad.fill(0);
    const dh = new Float64Array(h);
    for (let i = 0; i < this.batch; i++) {
      dh.fill(0);
      for (let c = 0; c < k; c++) {
        const r = coef[i]! * this.dz[i * k + c]!;
        grad[o3 + c]! += r;
        for (let u = 0; u < h; u++) {
          grad[o2 + c * h + u]! += r * this.hidden[i * h + u]!;
          dh[u]! += r * params[o2 + c * h + u]!;
        }
      }
      const base = this.idx[i]! * d;
      for (let u = 0; u < h; u++) {
        if (this.hidden[i * h + u]! <= 0 || dh[u] === 0) continue;
        const r = dh[u]!;
        grad[o1 + u]! += r;
        const w = u * d;
        for (let j = 0; j < d; j++) grad[w + j]! += r * x[base + j]!;
      }
    }
  }

  predict(split: PreparedSplit, out: Int32Array): void {
    const hid = new Float64Array(this.h), z = new Float64Array(this.k);
    for (let i = 0; i < split.n; i++) {
      this.forwardRow(split.x, i, hid, 0, z, 0);
      out[i] = argmaxLabel(z, 0, this.k);
    }
  }
}
