/**
 * One cell of the sparse double descent study (Zhang): a 784 → k → 10 ReLU network trained by
 * plain subgradient SGD on cross-entropy + α·Σ_p ‖p‖₁, evaluated on the test split after every
 * epoch. The penalty form is a param because it decides the result: the paper's notebook used
 * torch.linalg.norm(W, 1), the induced matrix 1-norm, not the elementwise sum.
 */
import { withL1Forms } from '../../compute/extensions/l1-forms.ts';
import { z } from 'zod';
import { defineNode } from '../../engine/node.ts';
import { table } from '../../engine/ports.ts';
import { columnsTable, tableMetadata } from '../../engine/table.ts';
import { imageSplit } from '../data/image-table.ts';
import { torchDefaultInit } from './torch-init.ts';
import { weightSparsity } from './sparsity.ts';
import { L1_FORM_DESCRIPTIONS } from './l1-forms.ts';

const positiveInt = (what: string) => z.number().int(`${what} must be an integer`).min(1, `${what} must be at least 1`);

export const trainSparseMlpParams = z.object({
  /** hidden units k */
  width: positiveInt('width'),
  /** L1 coefficient α */
  alpha: z.number().finite().min(0, 'alpha must be ≥ 0'),
  l1Form: z.enum(['notebook', 'elementwise']).default('notebook'),
  lr: z.number().finite().positive('lr must be positive').default(1e-3),
  batchSize: positiveInt('batchSize').default(32),
  epochs: positiveInt('epochs').default(30),
  /** |w| below this counts as zero for the sparsity column */
  sparsityThreshold: z.number().finite().positive('sparsityThreshold must be positive').default(1e-3),
  /** replicate index: a different seed draws a different initialisation and shuffle */
  seed: z.number().int('seed must be an integer').min(0, 'seed must be ≥ 0').default(0),
});

export const trainSparseMlp = defineNode({
  name: 'sparse/train-mlp',
  version: 1,
  description: 'MLP 784→k→10, cross-entropy + α·L1 (notebook or elementwise), subgradient SGD; per-epoch test accuracy and sparsity',
  module: import.meta.url,
  params: trainSparseMlpParams,
  inputs: { data: table },
  output: table,
  backends: ['mlp'],
  async run(ctx) {
    const p = ctx.params;
    const { train, test, inputSize } = imageSplit(ctx.inputs.data);
    if (train.count === 0) throw new Error('sparse/train-mlp: the data has no training rows');
    const classes = 10;
    const layers = [inputSize, p.width, classes];
    const init = torchDefaultInit(layers, ctx.random.fork('init'));
    const shuffle = ctx.random.fork('shuffle');
    // the L1 penalty is an extension: a backend without it fails here, never trains unpenalised
    const trainer = await withL1Forms(ctx.mlp).createTrainer(layers, init, 'softmax-cross-entropy');
    const epochs = new Float64Array(p.epochs);
    const trainLoss = new Float64Array(p.epochs);
    const trainPenalty = new Float64Array(p.epochs);
    const testLoss = new Float64Array(p.epochs);
    const testAccuracy = new Float64Array(p.epochs);
    const sparsity = new Float64Array(p.epochs);
    const xb = new Float32Array(p.batchSize * inputSize);
    const yb = new Int32Array(p.batchSize);
    const step = { lr: p.lr, l1: p.alpha, l1Form: p.l1Form } as const;
    try {
      for (let e = 0; e < p.epochs; e++) {
        // let a cancellation message reach the signal: the loop below never yields by itself
        await new Promise<void>((resolve) => setImmediate(resolve));
        ctx.signal.throwIfAborted();
        const order = shuffle.permutation(train.count);
        let lossSum = 0, penaltySum = 0, batches = 0;
        for (let start = 0; start < train.count; start += p.batchSize) {
          const n = Math.min(p.batchSize, train.count - start);
          for (let k = 0; k < n; k++) {
            const src = order[start + k]!;
            xb.set(train.x.subarray(src * inputSize, (src + 1) * inputSize), k * inputSize);
            yb[k] = train.y[src]!;
          }
          const r = await trainer.trainStep(n === p.batchSize ? xb : xb.subarray(0, n * inputSize), n === p.batchSize ? yb : yb.subarray(0, n), step);
          lossSum += r.loss;
          penaltySum += r.penalty;
          batches++;
        }
        const ev = await trainer.evaluate(test.x, test.y);
        epochs[e] = e + 1;
        trainLoss[e] = lossSum / batches;
        trainPenalty[e] = penaltySum / batches;
        testLoss[e] = ev.loss;
        testAccuracy[e] = ev.correct / ev.count;
        sparsity[e] = weightSparsity(await trainer.getParams(), p.sparsityThreshold);
        ctx.progress((e + 1) / p.epochs, `epoch ${e + 1}/${p.epochs}: test accuracy ${(100 * testAccuracy[e]!).toFixed(1)}%`);
      }
    } finally {
      trainer.dispose();
    }
    const last = p.epochs - 1;
    const data = tableMetadata(ctx.inputs.data) as Record<string, unknown> | undefined;
    return columnsTable(
      { epoch: epochs, trainLoss, trainPenalty, testLoss, testAccuracy, sparsity },
      {
        study: 'sparse-double-descent',
        layers,
        width: p.width,
        alpha: p.alpha,
        l1Form: p.l1Form,
        l1FormDescription: L1_FORM_DESCRIPTIONS[p.l1Form],
        optimizer: 'plain subgradient SGD (sign(0) = 0), no momentum, no weight decay, no proximal step',
        lr: p.lr,
        batchSize: p.batchSize,
        epochs: p.epochs,
        shuffle: 'reshuffled every epoch from the seeded source',
        init: 'PyTorch default: U(±1/√fan_in) for weights and biases',
        sparsityThreshold: p.sparsityThreshold,
        sparsityOf: 'weight matrices only (biases excluded)',
        seed: p.seed,
        backend: ctx.mlp.name,
        trainCount: train.count,
        testCount: test.count,
        data: data ?? null,
        final: { testAccuracy: testAccuracy[last], testLoss: Number.isFinite(testLoss[last]) ? testLoss[last] : null, sparsity: sparsity[last] },
      },
    );
  },
});
