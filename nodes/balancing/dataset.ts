/**
 * The data every balancing method trains on: three splits of (features, label y, attribute a),
 * and optional per-coordinate feature scales γ (the synthetic example's learning-speed knobs).
 * Groups are (y, a) pairs numbered nAttributes·y + a, as in the authors' code.
 */
import type { TensorBundle } from '../../engine/ports.ts';

export const SPLITS = ['train', 'val', 'test'] as const;
export type SplitName = (typeof SPLITS)[number];

export interface Split {
  readonly n: number;
  readonly d: number;
  /** n×d row-major */
  readonly x: Float32Array;
  readonly y: Int32Array;
  readonly a: Int32Array;
}

export interface BalancingData {
  readonly train: Split;
  readonly val: Split;
  readonly test: Split;
  readonly nLabels: number;
  readonly nAttributes: number;
  /** per-feature scale γ_j (model logit Σ w_j γ_j x_j); absent means all ones */
  readonly gamma?: Float64Array;
}

export function nGroups(data: Pick<BalancingData, 'nLabels' | 'nAttributes'>): number {
  return data.nLabels * data.nAttributes;
}

export function groupOf(split: Split, nAttributes: number, i: number): number {
  return nAttributes * split.y[i]! + split.a[i]!;
}

export function groupIds(split: Split, nAttributes: number): Int32Array {
  const g = new Int32Array(split.n);
  for (let i = 0; i < split.n; i++) g[i] = nAttributes * split.y[i]! + split.a[i]!;
  return g;
}

export function countBy(ids: ArrayLike<number>, k: number, subset?: ArrayLike<number>): number[] {
  const counts = new Array<number>(k).fill(0);
  if (subset) for (let i = 0; i < subset.length; i++) counts[ids[subset[i]!]!]!++;
  else for (let i = 0; i < ids.length; i++) counts[ids[i]!]!++;
  return counts;
}

export function toBundle(data: BalancingData): TensorBundle {
  const out: Record<string, TensorBundle[string]> = {
    meta: { shape: [2], data: Int32Array.of(data.nLabels, data.nAttributes) },
  };
  for (const s of SPLITS) {
    const split = data[s];
    out[`${s}.x`] = { shape: [split.n, split.d], data: split.x };
    out[`${s}.y`] = { shape: [split.n], data: split.y };
    out[`${s}.a`] = { shape: [split.n], data: split.a };
  }
  if (data.gamma) out.gamma = { shape: [data.gamma.length], data: data.gamma };
  return out;
}

export function fromBundle(bundle: TensorBundle): BalancingData {
  const get = (k: string) => {
    const t = bundle[k];
    if (!t) throw new Error(`balancing data bundle has no tensor "${k}" (has: ${Object.keys(bundle).join(', ')})`);
    return t;
  };
  const split = (s: SplitName): Split => {
    const x = get(`${s}.x`);
    return {
      n: x.shape[0]!,
      d: x.shape[1]!,
      x: x.data instanceof Float32Array ? x.data : Float32Array.from(x.data),
      y: Int32Array.from(get(`${s}.y`).data),
      a: Int32Array.from(get(`${s}.a`).data),
    };
  };
  const meta = get('meta').data;
  const gamma = bundle.gamma ? Float64Array.from(bundle.gamma.data) : undefined;
  return { train: split('train'), val: split('val'), test: split('test'), nLabels: meta[0]!, nAttributes: meta[1]!, ...(gamma ? { gamma } : {}) };
}
