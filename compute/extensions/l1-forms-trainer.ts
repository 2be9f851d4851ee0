/**
 * The L1 penalties of the general trainer (the sparse study's two forms), value and subgradient
 * with sign(0) = 0. `notebook`: each weight matrix's induced 1-norm (its largest column sum of
 * |W|; the subgradient touches only that column, the first on ties) plus Σ|p| over every other
 * parameter; `elementwise`: Σ|p| over all parameters.
 */
import type { ParameterLayout } from '../trainer-layout.ts';
import type { ParamArray } from '../../engine/compute/trainer.ts';
import type { L1Form } from './l1-forms.ts';

/** Returns ‖θ‖₁ in the chosen form and adds weight·∂/∂θ into grad. */
export function l1PenaltyAndGradient(form: L1Form, p: ParamArray, layout: ParameterLayout, weight: number, grad: Float64Array): number {
  let total = 0;
  for (let i = 0; i < layout.count; i++) {
    if (form === 'notebook' && layout.isWeight[i] === 1) continue;
    total += Math.abs(p[i]!);
    grad[i]! += weight * Math.sign(p[i]!);
  }
  if (form === 'elementwise') return total;
  for (const s of layout.layers) {
    const col = largestColumn(p, s.weight, s.units, s.inputs);
    total += col.sum;
    for (let u = 0; u < s.units; u++) {
      const at = s.weight + u * s.inputs + col.index;
      grad[at]! += weight * Math.sign(p[at]!);
    }
  }
  return total;
}

function largestColumn(p: ParamArray, at: number, rows: number, cols: number): { index: number; sum: number } {
  let index = 0, best = -1;
  for (let c = 0; c < cols; c++) {
    let s = 0;
    for (let r = 0; r < rows; r++) s += Math.abs(p[at + r * cols + c]!);
    if (s > best) { best = s; index = c; }
  }
  return { index, sum: best };
}
