import { describe, expect, it } from 'vitest';
import type { Figure } from '../../engine/ports.ts';
import { Store } from '../../engine/store/store.ts';
import { decodeValue } from '../../engine/store/values.ts';
import { tableMetadata } from '../../engine/table.ts';
import study, { GAMMA1, GAMMA2 } from '../../pipelines/two-layer.ts';
import { runAll, summaryOf, tempStore } from '../engine/helpers.ts';

const OUTPUTS = ['a-linear-network', 'b-random-features', 'c-vanishing-init', 'd-ntk-regime', 'e-empirical-kernel'];

describe('pipelines/two-layer.ts', () => {
  it('sweeps γ₁ ∈ {0.5, 1.5, 2, 3} and a γ₂ grid from 0.1 to 3 that is densest near 1 by default', () => {
    expect(study.axes.get('gamma1')!.values).toEqual([...GAMMA1]);
    expect(study.axes.get('gamma2')!.values).toEqual([...GAMMA2]);
    const gaps = GAMMA2.slice(1).map((g, i) => Math.log(g / GAMMA2[i]!));
    const nearOne = GAMMA2.slice(1).map((g, i) => Math.abs(Math.log(Math.sqrt(g * GAMMA2[i]!))));
    // the smallest log-gap sits next to the threshold
    expect(nearOne[gaps.indexOf(Math.min(...gaps))]).toBeLessThan(0.1);
  });

  it('runs the reduced profile, every figure carries its assumed choices, and a rerun is all cached', async () => {
    const store = tempStore();
    const options = { store, profile: 'reduced', executor: 'in-process' as const };
    const first = summaryOf(await runAll(study, options));
    expect(first.failed).toBe(0);
    expect(Object.keys(first.outputs).sort()).toEqual(OUTPUTS);
    const opened = await Store.open(store);
    for (const name of OUTPUTS) {
      const hash = Object.values(first.outputs[name]!)[0]!;
      const fig = (await decodeValue('figure', await opened.getObject(hash), (h) => opened.getObject(h))) as Figure;
      expect(fig.png?.length ?? 0).toBeGreaterThan(1000);
      expect(fig.caption ?? '').toMatch(/n = \d+/);
      expect(JSON.stringify(tableMetadata(fig.table))).toContain('assumed');
    }
    const again = summaryOf(await runAll(study, options));
    expect(again.computed).toBe(0);
    expect(again.cached).toBe(first.computed + first.cached);
  }, 120_000);
});
