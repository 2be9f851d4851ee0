/**
 * A deliberately naive float64 MLP (PyTorch layout, ReLU between layers) with the loss and the
 * analytic subgradient of cross-entropy / BCE + α·L1 in both forms, written independently of the
 * backends so the gradient check and the backend comparisons have something to stand against.
 */
import type { OutputLoss } from '../../engine/compute/mlp.ts';
import type { L1Form } from '../../compute/extensions/l1-forms.ts';

export interface Params64 {
  weights: Float64Array[]; // out×in row-major
  biases: Float64Array[];
}

export interface Problem {
  layers: number[];
  x: Float64Array; // batch×in
  labels: Int32Array;
  alpha: number;
  form: L1Form;
  loss: OutputLoss;
}

function forward(p: Problem, params: Params64): Float64Array[] {
  const batch = p.labels.length;
  const acts = [p.x];
  for (let l = 0; l + 1 < p.layers.length; l++) {
    const inp = p.layers[l]!, out = p.layers[l + 1]!;
    const a = new Float64Array(batch * out);
    for (let b = 0; b < batch; b++) {
      for (let j = 0; j < out; j++) {
        let s = params.biases[l]![j]!;
        for (let i = 0; i < inp; i++) s += params.weights[l]![j * inp + i]! * acts[l]![b * inp + i]!;
        a[b * out + j] = l + 2 < p.layers.length ? Math.max(s, 0) : s;
      }
    }
    acts.push(a);
  }
  return acts;
}

function columnSums(w: Float64Array, out: number, inp: number): number[] {
  return Array.from({ length: inp }, (_, i) => {
    let s = 0;
    for (let j = 0; j < out; j++) s += Math.abs(w[j * inp + i]!);
    return s;
  });
}

export function penalty(p: Problem, params: Params64): number {
  let total = 0;
  for (let l = 0; l + 1 < p.layers.length; l++) {
    const w = params.weights[l]!;
    total += p.form === 'elementwise' ? w.reduce((s, v) => s + Math.abs(v), 0) : Math.max(...columnSums(w, p.layers[l + 1]!, p.layers[l]!));
    total += params.biases[l]!.reduce((s, v) => s + Math.abs(v), 0);
  }
  return total;
}

export function dataLoss(p: Problem, params: Params64): number {
  const acts = forward(p, params);
  const logits = acts[acts.length - 1]!;
  const batch = p.labels.length;
  const out = p.layers[p.layers.length - 1]!;
  let total = 0;
  for (let b = 0; b < batch; b++) {
    const y = p.labels[b]!;
    if (p.loss === 'bce-with-logits') {
      const z = logits[b]!;
      total += Math.log(1 + Math.exp(z)) - y * z;
    } else {
      const row = Array.from(logits.subarray(b * out, (b + 1) * out));
      total += Math.log(row.reduce((s, v) => s + Math.exp(v), 0)) - row[y]!;
    }
  }
  return total / batch;
}

export function totalLoss(p: Problem, params: Params64): number {
  return dataLoss(p, params) + p.alpha * penalty(p, params);
}

/** The analytic subgradient (sign(0) = 0; the matrix norm's on its largest column only). */
export function gradient(p: Problem, params: Params64): Params64 {
  const acts = forward(p, params);
  const batch = p.labels.length;
  const nL = p.layers.length - 1;
  const out = p.layers[nL]!;
  let delta = new Float64Array(batch * out);
  const logits = acts[nL]!;
  for (let b = 0; b < batch; b++) {
    const y = p.labels[b]!;
    if (p.loss === 'bce-with-logits') {
      delta[b] = (1 / (1 + Math.exp(-logits[b]!)) - y) / batch;
    } else {
      const row = Array.from(logits.subarray(b * out, (b + 1) * out));
      const z = row.reduce((s, v) => s + Math.exp(v), 0);
      for (let j = 0; j < out; j++) delta[b * out + j] = (Math.exp(row[j]!) / z - (j === y ? 1 : 0)) / batch;
    }
  }
  const gw: Float64Array[] = [];
  const gb: Float64Array[] = [];
  for (let l = nL - 1; l >= 0; l--) {
    const inp = p.layers[l]!, o = p.layers[l + 1]!;
    const w = params.weights[l]!;
    const gW = new Float64Array(o * inp);
    const gB = new Float64Array(o);
    for (let b = 0; b < batch; b++) {
      for (let j = 0; j < o; j++) {
        gB[j] += delta[b * o + j]!;
        for (let i = 0; i < inp; i++) gW[j * inp + i] += delta[b * o + j]! * acts[l]![b * inp + i]!;
      }
    }
    if (p.alpha > 0) {
      if (p.form === 'elementwise') {
        for (let k = 0; k < gW.length; k++) gW[k] += p.alpha * Math.sign(w[k]!);
      } else {
        const sums = columnSums(w, o, inp);
        const star = sums.indexOf(Math.max(...sums));
        for (let j = 0; j < o; j++) gW[j * inp + star] += p.alpha * Math.sign(w[j * inp + star]!);
      }
      for (let j = 0; j < o; j++) gB[j] += p.alpha * Math.sign(params.biases[l]![j]!);
    }
    if (l > 0) {
      const prev = new Float64Array(batch * inp);
      for (let b = 0; b < batch; b++) {
        for (let i = 0; i < inp; i++) {
          if (acts[l]![b * inp + i]! <= 0) continue;
          let s = 0;
          for (let j = 0; j < o; j++) s += delta[b * o + j]! * w[j * inp + i]!;
          prev[b * inp + i] = s;
        }
      }
      delta = prev;
    }
    gw[l] = gW;
    gb[l] = gB;
  }
  return { weights: gw, biases: gb };
}

export function sgdStep(params: Params64, grad: Params64, lr: number): Params64 {
  return {
    weights: params.weights.map((w, l) => w.map((v, k) => v - lr * grad.weights[l]![k]!)),
    biases: params.biases.map((b, l) => b.map((v, k) => v - lr * grad.biases[l]![k]!)),
  };
}
