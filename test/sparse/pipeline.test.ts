import { describe, expect, it } from 'vitest';
import { ofType, runAll, summaryOf, tempStore } from '../engine/helpers.ts';
import study, { ALPHAS, WIDTHS } from '../../pipelines/sparse-double-descent.ts';

describe('pipeline sparse-double-descent', () => {
  it('sweeps the paper\'s widths × α × 3 seeds × both L1 forms by default', () => {
    expect(study.axes.get('width')!.values).toEqual([...WIDTHS]);
    expect(study.axes.get('alpha')!.values).toEqual([...ALPHAS]);
    expect(ALPHAS).toHaveLength(16);
    expect(study.axes.get('seed')!.values).toEqual([0, 1, 2]);
    expect(study.axes.get('l1Form')!.values).toEqual(['notebook', 'elementwise']);
  });

  it('runs the ci profile, reruns from cache, and trains only the new cells when an α is added', async () => {
    const store = tempStore();
    const options = { store, profile: 'ci', executor: 'in-process' as const };
    const first = await runAll(study, options);
    expect(summaryOf(first)).toMatchObject({ failed: 0, computed: 19 });
    expect(Object.keys(summaryOf(first).outputs).sort()).toEqual(['accuracy', 'curve', 'forms', 'runs', 'sparsity']);

    const again = await runAll(study, options);
    expect(summaryOf(again)).toMatchObject({ failed: 0, computed: 0, cached: 19 });

    const more = await runAll(study, { ...options, overrides: { 'train.alpha': [0, 10, 100, 1000] } });
    const trained = ofType(more, 'task-done').filter((e) => e.step === 'train').map((e) => e.task);
    expect(trained).toHaveLength(4); // α = 100 × widths {10, 5} × both forms
    for (const t of trained) expect(t).toContain('alpha=100');
    expect(ofType(more, 'task-cached').filter((e) => e.step === 'train')).toHaveLength(12);
  }, 300_000);
});
