/**
 * What a sampler decides, as plain data: the pool of training indices an epoch draws from
 * (repeats allowed, as JTT's up-weighted errors) and, for reweighting, sampling weights. Every
 * method's sampler is a node producing one of these, so the trainer needs no list of methods.
 */
import type { RandomSource } from '../../../engine/random.ts';

export interface SamplerSpec {
  /** short name of the sampling scheme, for tables and logs */
  readonly scheme: string;
  readonly usesAttributes: boolean;
  /** training-set indices; an epoch visits each once in random order unless `weights` is set */
  readonly pool: readonly number[];
  /** sample pool.length indices with replacement, P(pool[i]) ∝ weights[i] (torch's WeightedRandomSampler) */
  readonly weights?: readonly number[];
}

/** The order in which one epoch visits training examples. */
export function epochOrder(spec: SamplerSpec, random: RandomSource): Int32Array {
  const m = spec.pool.length;
  const out = new Int32Array(m);
  if (!spec.weights) {
    const perm = random.permutation(m);
    for (let i = 0; i < m; i++) out[i] = spec.pool[perm[i]!]!;
    return out;
  }
  const cdf = cumulative(spec.weights);
  const total = cdf[m - 1]!;
  for (let i = 0; i < m; i++) {
    const u = random.uniform() * total;
    let lo = 0, hi = m - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cdf[mid]! > u) hi = mid;
      else lo = mid + 1;
    }
    out[i] = spec.pool[lo]!;
  }
  return out;
}

function cumulative(w: readonly number[]): Float64Array {
  const c = new Float64Array(w.length);
  let s = 0;
  for (let i = 0; i < w.length; i++) {
    if (!(w[i]! >= 0) || !Number.isFinite(w[i]!)) throw new RangeError(`sampler weight ${i} is ${w[i]}; weights must be finite and ≥ 0`);
    s += w[i]!;
    c[i] = s;
  }
  if (!(s > 0)) throw new RangeError('sampler weights sum to zero');
  return c;
}
