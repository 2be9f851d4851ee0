import { describe, expect, it } from 'vitest';
import { runTableNode as runNode } from '../data/run-node.ts';
import { numericColumn, tableMetadata, tableToBytes } from '../../engine/table.ts';
import { loadMnist } from '../../nodes/data/mnist.ts';
import { trainSparseMlp } from '../../nodes/sparse/train-sparse-mlp.ts';
import { mlpBackends } from './fixtures.ts';
import { trainWith } from './run-with.ts';

// 200 training and 100 test digits: enough for every property here, seconds to train
const data = await runNode(loadMnist, { params: { trainPerDigit: 20, testPerDigit: 10 } });
const [js, cpu, wasm] = await mlpBackends();
const small = { width: 16, alpha: 0.01, epochs: 2 } as const;

// float32 on different kernels (XNNPACK, tfjs-cpu, plain JS sums): after 2 epochs (14 SGD
// steps) the per-epoch test losses agree to this relative tolerance
const BACKEND_RELATIVE_TOLERANCE = 1e-4;

describe('sparse/train-mlp', () => {
  it('gives the same bytes twice for the same seed on one backend', async () => {
    for (const mlp of [js!, wasm!]) {
      const a = tableToBytes(await trainWith(mlp, data, small));
      const b = tableToBytes(await trainWith(mlp, data, small));
      expect(Buffer.from(a).equals(Buffer.from(b)), mlp.name).toBe(true);
    }
  });

  it('draws a different initialisation and shuffle for another seed', async () => {
    const a = numericColumn(await trainWith(js!, data, { ...small, seed: 0 }), 'testLoss');
    const b = numericColumn(await trainWith(js!, data, { ...small, seed: 1 }), 'testLoss');
    expect(a[1]).not.toBe(b[1]);
  });

  it('agrees across the cpu, wasm and js backends on a short run', async () => {
    const runs = await Promise.all([cpu!, wasm!, js!].map(async (mlp) => ({ name: mlp.name, t: await trainWith(mlp, data, { ...small, l1Form: 'notebook' }) })));
    const [ref, ...others] = runs;
    for (const other of others) {
      for (const column of ['trainLoss', 'trainPenalty', 'testLoss']) {
        const a = numericColumn(ref!.t, column), b = numericColumn(other.t, column);
        a.forEach((v, e) => expect(Math.abs(v - b[e]!) / Math.abs(v), `${ref!.name} vs ${other.name}: ${column}[${e}]`).toBeLessThan(BACKEND_RELATIVE_TOLERANCE));
      }
      const accA = numericColumn(ref!.t, 'testAccuracy'), accB = numericColumn(other.t, 'testAccuracy');
      accA.forEach((v, e) => expect(Math.abs(v - accB[e]!)).toBeLessThanOrEqual(1 / 100 + 1e-12));
    }
  });

  it('states the penalty form, sizes and backend in its metadata and has one row per epoch', async () => {
    const t = await trainWith(js!, data, { ...small, l1Form: 'elementwise' });
    const meta = tableMetadata(t) as Record<string, unknown>;
    expect(meta).toMatchObject({ l1Form: 'elementwise', width: 16, alpha: 0.01, lr: 1e-3, batchSize: 32, trainCount: 200, testCount: 100, backend: 'js', layers: [784, 16, 10] });
    expect(String(meta.l1FormDescription)).toContain('every weight and bias');
    expect(Array.from(numericColumn(t, 'epoch'))).toEqual([1, 2]);
    for (const v of numericColumn(t, 'sparsity')) expect(v).toBeGreaterThanOrEqual(0);
  });

  it('reports progress once per epoch and stops within one epoch when cancelled', async () => {
    const fractions: number[] = [];
    await trainWith(js!, data, { ...small, epochs: 3 }, { onProgress: (f) => fractions.push(f) });
    expect(fractions).toEqual([1 / 3, 2 / 3, 1]);
    const controller = new AbortController();
    const seen: number[] = [];
    const run = trainWith(js!, data, { ...small, epochs: 30 }, { signal: controller.signal, onProgress: (f) => { seen.push(f); controller.abort(); } });
    await expect(run).rejects.toThrow(/abort/i);
    expect(seen).toHaveLength(1);
  });

  it('rejects bad params with a message naming them', () => {
    expect(() => trainSparseMlp.params.parse({ width: 0, alpha: 1 })).toThrow(/width must be at least 1/);
    expect(() => trainSparseMlp.params.parse({ width: 5, alpha: -1 })).toThrow(/alpha must be ≥ 0/);
    expect(() => trainSparseMlp.params.parse({ width: 5, alpha: 1, l1Form: 'sum' })).toThrow();
    expect(() => trainSparseMlp.params.parse({ width: 5.5, alpha: 1 })).toThrow(/integer/);
  });

  it('declares the mlp backend and runs through runNode on a named backend', async () => {
    expect(trainSparseMlp.backends).toEqual(['mlp']);
    const t = await runNode(trainSparseMlp, { params: { ...small, epochs: 1 }, inputs: { data }, backend: ['cpu'] });
    expect((tableMetadata(t) as { backend: string }).backend).toBe('cpu');
  });
});
