/**
 * Native and plain-JS float32 training agree where the issue says they must, on the sparse double
 * descent setup at width 10 (the shipped 5000 training digits, batch 32, lr 0.001, 30 epochs):
 *  - at α = 0 (smooth training) the final test accuracy is within 0.5 points;
 *  - at α = 10, inside the collapse where training is chaotic and per-seed accuracies jump,
 *    the two backends' seed means lie within their spread (the larger of the two seed ranges).
 * Same seeds on both sides: same initialisation, same shuffles; only float32 round-off differs.
 */
import { describe, expect, it } from 'vitest';
import { jsMlp } from '../../compute/mlp-js.ts';
import { load as loadNativeMlp } from '../../compute/mlp-native.ts';
import type { MlpCompute } from '../../engine/compute/mlp.ts';
import { numericColumn } from '../../engine/table.ts';
import { loadMnist } from '../../nodes/data/mnist.ts';
import { runTableNode } from '../data/run-node.ts';
import { trainWith } from '../sparse/run-with.ts';
import { skipNative, skipTitle } from './native-available.ts';

const SEEDS = [0, 1, 2];

describe.skipIf(skipNative)(`native vs plain-JS MLP training, width 10, 30 epochs${skipTitle}`, () => {
  async function finalAccuracy(mlp: MlpCompute, alpha: number, seed: number): Promise<number> {
    const data = await runTableNode(loadMnist);
    const acc = numericColumn(await trainWith(mlp, data, { width: 10, alpha, seed }), 'testAccuracy');
    return acc[acc.length - 1]!;
  }

  it('α = 0: final test accuracy within 0.5 points', async () => {
    const native = await loadNativeMlp();
    const [a, b] = [await finalAccuracy(native, 0, 0), await finalAccuracy(jsMlp, 0, 0)];
    expect(a).toBeGreaterThan(0.75);
    expect(Math.abs(a - b) * 100).toBeLessThan(0.5);
  }, 600_000);

  it('α = 10 (chaotic): seed means within the seeds’ spread', async () => {
    const native = await loadNativeMlp();
    const runs = async (mlp: MlpCompute) => Promise.all(SEEDS.map((s) => finalAccuracy(mlp, 10, s)));
    const [a, b] = [await runs(native), await runs(jsMlp)];
    const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    const range = (xs: number[]) => Math.max(...xs) - Math.min(...xs);
    const spread = Math.max(range(a), range(b), 0.01);
    expect(Math.abs(mean(a) - mean(b)), `native ${a.map((x) => x.toFixed(3))}, js ${b.map((x) => x.toFixed(3))}`).toBeLessThanOrEqual(spread);
  }, 900_000);
});
