/**
 * The data losses and the logit penalty of the general trainer: values and their gradients with
 * respect to the logits, in float64. Every loss is a batch mean, as PyTorch's reduction='mean'.
 */
import type { LossSpec, ParamArray } from '../engine/compute/trainer.ts';

/** softplus(u) = log(1 + eᵘ), without overflow for large |u| */
export function softplus(u: number): number {
  return Math.max(u, 0) + Math.log1p(Math.exp(-Math.abs(u)));
}

export function sigmoid(u: number): number {
  return u >= 0 ? 1 / (1 + Math.exp(-u)) : Math.exp(u) / (1 + Math.exp(u));
}

export function checkTargets(loss: LossSpec, rows: number, outputs: number, targets: ParamArray): void {
  const expected = loss.kind === 'mse' ? rows * outputs : rows;
  if (targets.length !== expected) throw new RangeError(`${loss.kind}: expected ${expected} targets for ${rows} rows, got ${targets.length}`);
  if (loss.kind === 'bce-with-logits' && outputs !== 1) throw new RangeError(`bce-with-logits needs one output unit, got ${outputs}`);
  for (let i = 0; i < targets.length; i++) {
    const t = targets[i]!;
    if (loss.kind === 'softmax-cross-entropy' && !(Number.isInteger(t) && t >= 0 && t < outputs)) throw new RangeError(`softmax-cross-entropy: target ${t} at row ${i} is not a class in [0, ${outputs})`);
    if (loss.kind === 'bce-with-logits' && loss.labels === 'zero-one' && t !== 0 && t !== 1) throw new RangeError(`bce-with-logits (zero-one): target ${t} at row ${i} is not 0 or 1`);
    if (loss.kind === 'bce-with-logits' && loss.labels === 'plus-minus' && t !== 1 && t !== -1) throw new RangeError(`bce-with-logits (plus-minus): target ${t} at row ${i} is not ±1`);
  }
}

/**
 * Adds `weight`·∂loss/∂logits into `grad` (rows×outputs) and returns the loss value.
 */
export function lossAndGradient(loss: LossSpec, logits: ParamArray, targets: ParamArray, rows: number, outputs: number, weight: number, grad: Float64Array): number {
  switch (loss.kind) {
    case 'bce-with-logits': {
      let sum = 0;
      for (let i = 0; i < rows; i++) {
        const y = loss.labels === 'zero-one' ? 2 * targets[i]! - 1 : targets[i]!;
        const m = y * logits[i]!;
        sum += softplus(-m);
        grad[i]! += (weight * -y * sigmoid(-m)) / rows;
      }
      return sum / rows;
    }
    case 'softmax-cross-entropy': {
      let sum = 0;
      for (let i = 0; i < rows; i++) {
        const o = i * outputs;
        let max = -Infinity;
        for (let k = 0; k < outputs; k++) max = Math.max(max, logits[o + k]!);
        let z = 0;
        for (let k = 0; k < outputs; k++) z += Math.exp(logits[o + k]! - max);
        const t = targets[i]!;
        sum += Math.log(z) + max - logits[o + t]!;
        for (let k = 0; k < outputs; k++) grad[o + k]! += (weight * (Math.exp(logits[o + k]! - max) / z - (k === t ? 1 : 0))) / rows;
      }
      return sum / rows;
    }
    case 'mse': {
      const n = rows * outputs;
      let sum = 0;
      for (let j = 0; j < n; j++) {
        const d = logits[j]! - targets[j]!;
        sum += d * d;
        grad[j]! += (weight * 2 * d) / n;
      }
      return sum / n;
    }
  }
}

/** c · mean ŷ² over every logit (spectral decoupling); adds weight·∂/∂ŷ into grad */
export function logitPenaltyAndGradient(c: number, logits: ParamArray, weight: number, grad: Float64Array): number {
  const n = logits.length;
  let sum = 0;
  for (let j = 0; j < n; j++) {
    const v = logits[j]!;
    sum += v * v;
    grad[j]! += (weight * 2 * c * v) / n;
  }
  return (c * sum) / n;
}
