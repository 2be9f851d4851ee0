import { describe, expect, it } from 'vitest';
import { shapeRunner } from './shape-helpers.ts';

const runner = await shapeRunner();

describe(`sparse double descent, width 50, notebook L1, full data, 30 epochs (${runner.backend})`, () => {
  const acc: Record<number, number> = {};
  it('trains at α = 0, 10, 1000', async () => {
    for (const a of [0, 10, 1000]) acc[a] = await runner.finalAccuracy(50, a, 'notebook');
  }, 600_000);

  it('is far above chance at α = 0', () => expect(acc[0]).toBeGreaterThan(0.75));
  it('collapses at α = 10, far below α = 0', () => expect(acc[10]!).toBeLessThan(acc[0]! - 0.35));
  it('recovers at α = 1000, back near α = 0', () => {
    expect(acc[1000]!).toBeGreaterThan(acc[0]! - 0.12);
    expect(acc[1000]!).toBeGreaterThan(acc[10]! + 0.4);
  });
});
