/**
 * One training run: a head, a sampler's epoch orders, a loss weighting, momentum SGD; per-epoch
 * accuracy per group on every split, and the parameters at the selected epochs.
 */
import { z } from 'zod';
import type { RandomSource } from '../../../engine/random.ts';
import { nGroups, SPLITS, type BalancingData, type SplitName } from '../dataset.ts';
import { createLoss } from '../losses/index.ts';
import type { LossSpec } from '../losses/spec.ts';
import { headSpec, type HeadSpec, type PreparedSplit } from '../model/head.ts';
import { createHead, prepareSplit } from '../model/prepare.ts';
import { epochOrder, type SamplerSpec } from '../samplers/spec.ts';
import { groupAccuracy, worstGroup } from './evaluate.ts';
import { MomentumSgd } from './sgd.ts';

export const trainParams = z.object({
  lr: z.number().positive().max(10),
  weightDecay: z.number().min(0).default(0),
  momentum: z.number().min(0).max(1).default(0.9),
  batchSize: z.number().int().min(1).default(250),
  epochs: z.number().int().min(1).max(100_000).default(500),
  /** initialisation and shuffling seed */
  seed: z.number().int().min(0).default(0),
  head: headSpec.default({ kind: 'linear', hidden: 100, bias: false }),
});
export type TrainParams = z.output<typeof trainParams>;

export interface SplitCurves<T> {
  readonly train: T;
  readonly val: T;
  readonly test: T;
}

export interface TrainingRun {
  readonly sampler: string;
  readonly loss: string;
  readonly params: TrainParams;
  /** [epoch][group] accuracy, on the full training split (not the subsampled/up-weighted set) */
  readonly groupAccuracy: SplitCurves<number[][]>;
  readonly averageAccuracy: SplitCurves<number[]>;
  /** mean of the batch losses of each epoch */
  readonly trainLoss: number[];
  /** gDRO's q at the end of each epoch */
  readonly q?: number[][];
  readonly finalParams: number[];
  /** parameters at the best validation worst-group epoch (later epoch wins ties) */
  readonly bestWorstGroup: { readonly epoch: number; readonly params: number[] };
}

export interface RunHooks {
  readonly signal?: AbortSignal;
  readonly progress?: (fraction: number) => void;
}

/** The splits prepared once per dataset object (they are reused by every run on it). */
const prepared = new WeakMap<BalancingData, SplitCurves<PreparedSplit>>();
export function preparedSplits(data: BalancingData): SplitCurves<PreparedSplit> {
  let p = prepared.get(data);
  if (!p) {
    p = {
      train: prepareSplit(data.train, data.nAttributes, data.gamma),
      val: prepareSplit(data.val, data.nAttributes, data.gamma),
      test: prepareSplit(data.test, data.nAttributes, data.gamma),
    };
    prepared.set(data, p);
  }
  return p;
}

export function trainRun(data: BalancingData, sampler: SamplerSpec, lossSpec: LossSpec, options: z.input<typeof trainParams>, random: RandomSource, hooks: RunHooks = {}): TrainingRun {
  const p = trainParams.parse(options);
  const splits = preparedSplits(data);
  const k = nGroups(data);
  const head = createHead(p.head as HeadSpec, data, p.batchSize, random.fork('init'));
  const loss = createLoss(lossSpec, k);
  const sgd = new MomentumSgd(head.params.length, p.lr, p.momentum, p.weightDecay);
  const orderRandom = random.fork('order');
  const losses = new Float64Array(p.batchSize), coef = new Float64Array(p.batchSize);
  const batchIdx = new Int32Array(p.batchSize), batchGroups = new Int32Array(p.batchSize);
  const groupCurves: SplitCurves<number[][]> = { train: [], val: [], test: [] };
  const averageCurves: SplitCurves<number[]> = { train: [], val: [], test: [] };
  const trainLoss: number[] = [];
  const q: number[][] = [];
  let best = { epoch: -1, score: -Infinity, params: [] as number[] };
  const scratch = new Int32Array(Math.max(data.train.n, data.val.n, data.test.n));

  for (let epoch = 0; epoch < p.epochs; epoch++) {
    if (hooks.signal?.aborted) throw new Error('training aborted');
    const order = epochOrder(sampler, orderRandom);
    let lossSum = 0, batches = 0;
    for (let start = 0; start < order.length; start += p.batchSize) {
      const b = Math.min(p.batchSize, order.length - start);
      for (let i = 0; i < b; i++) {
        batchIdx[i] = order[start + i]!;
        batchGroups[i] = splits.train.groups[batchIdx[i]!]!;
      }
      head.forward(splits.train, batchIdx, b, losses);
      lossSum += loss.coefficients(losses, batchGroups, b, coef);
      batches++;
      head.backward(coef);
      sgd.step(head.params, head.grad);
    }
    trainLoss.push(lossSum / batches);
    const state = loss.state();
    if (state) q.push([...state]);
    for (const s of SPLITS as readonly SplitName[]) {
      const acc = groupAccuracy(head, splits[s], k, scratch);
      groupCurves[s].push(acc.groups);
      averageCurves[s].push(acc.average);
    }
    const score = worstGroup(groupCurves.val[epoch]!);
    if (score >= best.score) best = { epoch, score, params: Array.from(head.params) };
    hooks.progress?.((epoch + 1) / p.epochs);
  }
  return {
    sampler: sampler.scheme,
    loss: lossSpec.kind,
    params: p,
    groupAccuracy: groupCurves,
    averageAccuracy: averageCurves,
    trainLoss,
    ...(q.length > 0 ? { q } : {}),
    finalParams: Array.from(head.params),
    bestWorstGroup: { epoch: best.epoch, params: best.params },
  };
}
