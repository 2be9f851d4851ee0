/**
 * The trainable head: a flat parameter vector, per-example losses for a batch, gradients of a
 * weighted sum of those losses, and predictions. Binary labels use one logit and
 * BCE-with-logits (as the thesis' toy model); more classes use softmax cross-entropy.
 */
import { z } from 'zod';

export const headSpec = z.object({
  kind: z.enum(['linear', 'mlp']).default('linear'),
  /** hidden units of the MLP head */
  hidden: z.number().int().min(1).max(4096).default(100),
  bias: z.boolean().default(false),
});
export type HeadSpec = z.output<typeof headSpec>;

/** A split ready for training: features already multiplied by γ and rounded to float32. */
export interface PreparedSplit {
  readonly n: number;
  readonly d: number;
  readonly x: Float32Array;
  readonly y: Int32Array;
  readonly groups: Int32Array;
  /** columns with a non-zero entry, and x restricted to them (n × active.length), when few are */
  readonly sparse?: { readonly active: Int32Array; readonly x: Float32Array };
}

export interface Head {
  readonly params: Float64Array;
  readonly grad: Float64Array;
  /** per-example losses of rows `idx[0..batch)`; keeps what `backward` needs */
  forward(split: PreparedSplit, idx: Int32Array, batch: number, losses: Float64Array): void;
  /** grad ← Σ_i coef_i ∂ℓ_i/∂params for the batch of the last `forward` */
  backward(coef: Float64Array): void;
  /** predicted label of every row */
  predict(split: PreparedSplit, out: Int32Array): void;
}

/** logits per example: 1 for two classes, else one per class */
export function outputUnits(nLabels: number): number {
  return nLabels === 2 ? 1 : nLabels;
}

/**
 * Loss of one example from its logits z[off..off+k) and label y; writes ∂ℓ/∂z into dz.
 * k = 1: BCE-with-logits in its stable form max(z,0) − z·y + log(1 + e^{−|z|}).
 */
export function outputLoss(z: Float64Array, off: number, k: number, y: number, dz: Float64Array): number {
  if (k === 1) {
    const v = z[off]!;
    const e = Math.exp(-Math.abs(v));
    const sig = v >= 0 ? 1 / (1 + e) : e / (1 + e);
    dz[off] = sig - y;
    return Math.max(v, 0) - v * y + Math.log1p(e);
  }
  let m = -Infinity;
  for (let c = 0; c < k; c++) m = Math.max(m, z[off + c]!);
  let s = 0;
  for (let c = 0; c < k; c++) s += Math.exp(z[off + c]! - m);
  for (let c = 0; c < k; c++) dz[off + c] = Math.exp(z[off + c]! - m) / s - (c === y ? 1 : 0);
  return Math.log(s) + m - z[off + y]!;
}

export function argmaxLabel(z: Float64Array, off: number, k: number): number {
  if (k === 1) return z[off]! > 0 ? 1 : 0;
  let best = 0;
  for (let c = 1; c < k; c++) if (z[off + c]! > z[off + best]!) best = c;
  return best;
}
