/**
 * The balancing study's ERM run (bench/balancing.ts: 500 epochs, 1000 × 1202, batch 250, SGD
 * momentum 0.9, weight decay 0.1, per-epoch per-group accuracy on every split) on the general
 * trainer's native path instead of the study's own float64 head: the same shuffled minibatches
 * gathered into a float32 batch, one fused native step each, and the per-epoch evaluation through
 * `logits` (eval mode, on the native parameters). It answers issue 14's question whether the study's
 * training should move onto the trainer; see docs/balancing.md.
 */
import { nativeTrainer } from '../compute/trainer-native.ts';
import { native } from '../native/load.ts';
import type { Network } from '../engine/compute/trainer.ts';
import { randomSourceFromSeed } from '../engine/random.ts';
import { nGroups, SPLITS } from '../nodes/balancing/dataset.ts';
import type { PreparedSplit } from '../nodes/balancing/model/head.ts';
import { epochOrder } from '../nodes/balancing/samplers/spec.ts';
import { shuffleSampler } from '../nodes/balancing/samplers/shuffle.ts';
import type { BalancingData } from '../nodes/balancing/dataset.ts';
import { preparedSplits } from '../nodes/balancing/train/run.ts';

/** seconds for one ERM run on the native trainer, or undefined when the addon is not built */
export function trainerErmSeconds(data: BalancingData, epochs: number, seed: string): { seconds: number; worstTestAccuracy: number } | undefined {
  const r = native.loadNative();
  if (!r.ok) return undefined;
  const splits = preparedSplits(data);
  const d = data.train.d, batchSize = 250;
  const spec = { inputs: d, layers: [{ units: 1, activation: 'identity' as const, bias: false }], precision: 'float32' as const };
  const random = randomSourceFromSeed(seed);
  const bound = 1 / Math.sqrt(d), init = random.fork('init');
  const weight = Float64Array.from({ length: d }, (_, j) => ((0.01 / data.gamma![j]!) * (-bound + 2 * bound * init.uniform())));
  const t0 = process.hrtime.bigint();
  const net = nativeTrainer(r.addon).createNetwork({ spec, init: [{ weight }], optimizer: { kind: 'sgd', lr: 1e-5, momentum: 0.9, weightDecay: 0.1 } });
  const sampler = shuffleSampler(data), order = random.fork('order');
  const x = new Float32Array(batchSize * d), t = new Float32Array(batchSize);
  let worst = 1;
  for (let epoch = 0; epoch < epochs; epoch++) {
    const idx = epochOrder(sampler, order);
    for (let start = 0; start < idx.length; start += batchSize) {
      const b = Math.min(batchSize, idx.length - start);
      for (let i = 0; i < b; i++) {
        const row = idx[start + i]!;
        x.set(splits.train.x.subarray(row * d, (row + 1) * d), i * d);
        t[i] = splits.train.y[row]!;
      }
      net.step({ x: x.subarray(0, b * d), targets: t.subarray(0, b) }, { loss: { kind: 'bce-with-logits', labels: 'zero-one' } });
    }
    for (const s of SPLITS) worst = worstGroupAccuracy(net, splits[s], nGroups(data));
  }
  net.dispose();
  return { seconds: Number(process.hrtime.bigint() - t0) / 1e9, worstTestAccuracy: worst };
}

function worstGroupAccuracy(net: Network, split: PreparedSplit, k: number): number {
  const z = net.logits(split.x);
  const correct = new Float64Array(k), total = new Float64Array(k);
  for (let i = 0; i < split.n; i++) {
    total[split.groups[i]!]!++;
    if ((z[i]! > 0 ? 1 : 0) === split.y[i]) correct[split.groups[i]!]!++;
  }
  let worst = 1;
  for (let g = 0; g < k; g++) if (total[g]! > 0) worst = Math.min(worst, correct[g]! / total[g]!);
  return worst;
}
