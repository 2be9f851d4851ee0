/**
 * The paper's shape at reduced size: two widths, α ∈ {0, 10, 1000}, the notebook form, the full
 * shipped data (5000 / 4756) and all 30 epochs; plus the elementwise form at α = 1 and 1000.
 * Runs on the native backend when built, else on the plain-JS one (about 80 s of one core).
 */
import { describe, expect, it } from 'vitest';
import { numericColumn } from '../../engine/table.ts';
import { loadMnist } from '../../nodes/data/mnist.ts';
import { runTableNode } from '../data/run-node.ts';
import { fastestMlp } from './fixtures.ts';
import { trainWith } from './run-with.ts';

const data = await runTableNode(loadMnist);
const mlp = await fastestMlp();

async function finalAccuracy(width: number, alpha: number, l1Form: 'notebook' | 'elementwise'): Promise<number> {
  const acc = numericColumn(await trainWith(mlp, data, { width, alpha, l1Form }), 'testAccuracy');
  return acc[acc.length - 1]!;
}

describe(`sparse double descent at reduced size (${mlp.name} backend)`, () => {
  const widths = [50, 10] as const;
  const accuracy: Record<string, number> = {};

  it('trains both widths at α = 0, 10, 1000 with the notebook penalty', async () => {
    for (const w of widths) for (const a of [0, 10, 1000]) accuracy[`${w}/${a}`] = await finalAccuracy(w, a, 'notebook');
  }, 600_000);

  it('is far above chance without the penalty', () => {
    for (const w of widths) expect(accuracy[`${w}/0`], `width ${w}`).toBeGreaterThan(0.75);
  });

  it('collapses at α = 10, far below the unpenalised accuracy', () => {
    for (const w of widths) expect(accuracy[`${w}/10`]!, `width ${w}`).toBeLessThan(accuracy[`${w}/0`]! - 0.35);
  });

  it('recovers at α = 1000 for the wider model', () => {
    expect(accuracy['50/1000']!).toBeGreaterThan(accuracy['50/0']! - 0.12);
    expect(accuracy['50/1000']!).toBeGreaterThan(accuracy['50/10']! + 0.4);
  });

  it('stays collapsed from α = 1 on with the elementwise penalty', async () => {
    for (const a of [1, 1000]) expect(await finalAccuracy(10, a, 'elementwise'), `α = ${a}`).toBeLessThan(0.3);
  }, 600_000);
});
