/**
 * The paper's shape at reduced size (two widths, α ∈ {0, 10, 1000}, notebook form, the full shipped
 * data and all 30 epochs; the elementwise form at α = 1 and 1000), split over two files so vitest
 * runs the widths on both cores. Native backend when built, else the plain-JS one.
 */
import { numericColumn } from '../../engine/table.ts';
import { loadMnist } from '../../nodes/data/mnist.ts';
import { runTableNode } from '../data/run-node.ts';
import { fastestMlp } from './fixtures.ts';
import { trainWith } from './run-with.ts';

export async function shapeRunner() {
  const data = await runTableNode(loadMnist);
  const mlp = await fastestMlp();
  return {
    backend: mlp.name,
    async finalAccuracy(width: number, alpha: number, l1Form: 'notebook' | 'elementwise'): Promise<number> {
      const acc = numericColumn(await trainWith(mlp, data, { width, alpha, l1Form }), 'testAccuracy');
      return acc[acc.length - 1]!;
    },
  };
}
