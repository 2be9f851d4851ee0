/** Splits made ready for a head: γ applied once, group ids, and a compact copy when sparse. */
import { groupIds, type BalancingData, type Split } from '../dataset.ts';
import { headSpec, outputUnits, type Head, type HeadSpec, type PreparedSplit } from './head.ts';
import { LinearHead } from './linear.ts';
import { MlpHead } from './mlp.ts';
import type { RandomSource } from '../../../engine/random.ts';

export function prepareSplit(split: Split, nAttributes: number, gamma?: Float64Array): PreparedSplit {
  const { n, d } = split;
  const x = new Float32Array(n * d);
  const nonzero = new Uint8Array(d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      // (x·γ) in float64 then rounded to float32, like the toy model's `(x * gammas).float()`
      const v = gamma ? Math.fround(split.x[i * d + j]! * gamma[j]!) : split.x[i * d + j]!;
      x[i * d + j] = v;
      if (v !== 0) nonzero[j] = 1;
    }
  }
  const active: number[] = [];
  for (let j = 0; j < d; j++) if (nonzero[j]) active.push(j);
  const base = { n, d, x, y: split.y, groups: groupIds(split, nAttributes) };
  if (active.length * 4 > d) return base;
  const m = active.length;
  const xs = new Float32Array(n * m);
  for (let i = 0; i < n; i++) for (let t = 0; t < m; t++) xs[i * m + t] = x[i * d + active[t]!]!;
  return { ...base, sparse: { active: Int32Array.from(active), x: xs } };
}

export function createHead(spec: HeadSpec, data: BalancingData, maxBatch: number, random: RandomSource): Head {
  const s = headSpec.parse(spec);
  const d = data.train.d;
  const k = outputUnits(data.nLabels);
  if (s.kind === 'linear') {
    const head = new LinearHead(d, k, s.bias, maxBatch);
    head.initialise(random, data.gamma);
    return head;
  }
  const head = new MlpHead(d, s.hidden, k, maxBatch);
  head.initialise(random);
  return head;
}
