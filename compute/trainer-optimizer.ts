/**
 * The optimisers of the general trainer on flat parameter vectors, with PyTorch's exact update
 * order so a float32 run follows torch's rounding as closely as a different summation order
 * allows. Frozen parameters (mask 0) are skipped entirely, as torch skips params without grad.
 */
import type { OptimizerSpec, ParamArray } from '../engine/compute/trainer.ts';

export interface OptimizerState {
  step(params: ParamArray, grad: Float64Array): void;
}

export function createOptimizer(spec: OptimizerSpec, size: number, trainable: Uint8Array, precision: 'float32' | 'float64'): OptimizerState {
  const Arr = precision === 'float32' ? Float32Array : Float64Array;
  if (!(spec.lr > 0)) throw new RangeError(`optimizer lr must be positive, got ${spec.lr}`);
  return spec.kind === 'sgd' ? sgd(spec, new Arr(size), trainable) : adam(spec, new Arr(size), new Arr(size), trainable);
}

function sgd(spec: Extract<OptimizerSpec, { kind: 'sgd' }>, buf: ParamArray, trainable: Uint8Array): OptimizerState {
  const lr = spec.lr, mu = spec.momentum ?? 0, wd = spec.weightDecay ?? 0;
  let first = true;
  return {
    step(p, g) {
      for (let i = 0; i < p.length; i++) {
        if (trainable[i] === 0) continue;
        let d = g[i]!;
        if (wd !== 0) d += wd * p[i]!;
        if (mu !== 0) {
          // torch: the buffer is a clone of the first gradient, then buf·μ + g (no dampening)
          buf[i] = first ? d : mu * buf[i]! + d;
          d = buf[i]!;
        }
        p[i] = p[i]! - lr * d;
      }
      first = false;
    },
  };
}

function adam(spec: Extract<OptimizerSpec, { kind: 'adam' }>, m: ParamArray, v: ParamArray, trainable: Uint8Array): OptimizerState {
  const lr = spec.lr, b1 = spec.beta1 ?? 0.9, b2 = spec.beta2 ?? 0.999, eps = spec.eps ?? 1e-8, wd = spec.weightDecay ?? 0;
  let t = 0;
  return {
    step(p, g) {
      t++;
      const c1 = 1 - b1 ** t, c2 = 1 - b2 ** t;
      const stepSize = lr / c1, c2Root = Math.sqrt(c2);
      for (let i = 0; i < p.length; i++) {
        if (trainable[i] === 0) continue;
        let d = g[i]!;
        if (wd !== 0) d += wd * p[i]!;
        m[i] = m[i]! * b1 + (1 - b1) * d;
        v[i] = v[i]! * b2 + (1 - b2) * d * d;
        // torch: denom = √v / √(1 − β₂ᵗ) + eps; p −= (lr / (1 − β₁ᵗ)) · m / denom
        p[i] = p[i]! - (stepSize * m[i]!) / (Math.sqrt(v[i]!) / c2Root + eps);
      }
    },
  };
}
