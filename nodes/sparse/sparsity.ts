import type { MlpParams } from '../../engine/compute/mlp.ts';

/** Fraction of weight-matrix entries (biases excluded) with |w| below `threshold`. */
export function weightSparsity(params: MlpParams, threshold: number): number {
  let small = 0, total = 0;
  for (const w of params.weights) {
    for (let k = 0; k < w.length; k++) if (Math.abs(w[k]!) < threshold) small++;
    total += w.length;
  }
  return total === 0 ? 0 : small / total;
}
