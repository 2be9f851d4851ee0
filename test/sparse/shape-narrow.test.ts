import { describe, expect, it } from 'vitest';
import { shapeRunner } from './shape-helpers.ts';

const runner = await shapeRunner();

describe(`sparse double descent, width 10, full data, 30 epochs (${runner.backend})`, () => {
  const acc: Record<number, number> = {};
  it('trains at α = 0, 10, 1000 with the notebook L1', async () => {
    for (const a of [0, 10, 1000]) acc[a] = await runner.finalAccuracy(10, a, 'notebook');
  }, 600_000);

  it('is far above chance at α = 0', () => expect(acc[0]).toBeGreaterThan(0.75));
  it('collapses at α = 10, far below α = 0', () => expect(acc[10]!).toBeLessThan(acc[0]! - 0.35));

  it('stays collapsed from α = 1 on with the elementwise L1', async () => {
    for (const a of [1, 1000]) expect(await runner.finalAccuracy(10, a, 'elementwise'), `α = ${a}`).toBeLessThan(0.3);
  }, 600_000);
});
