import { describe, it, expect } from 'vitest';
import { runAll, summaryOf, tempStore } from '../engine/helpers.ts';
import study from '../../pipelines/teacher-student.ts';

/** The whole study through the engine, shrunk by `--set`-style overrides to CI size. */
const small = {
  'fig3-teacher.seed': [0, 1],
  'fig3-modulation.kappa': [1, 50],
  'fig4-analytic.kappa': [1, 100],
  'fig5-analytic.lambda': [1e-1, 1e-3, 1e-8],
  'fig6-teacher.seed': [0],
  'fig6-gd.steps': 2000,
};

describe('pipelines/teacher-student.ts through the engine', () => {
  it('produces every figure, then reruns entirely from cache', async () => {
    const store = tempStore();
    const first = summaryOf(await runAll(study, { store, executor: 'in-process', overrides: small, backend: ['ml-matrix'] }));
    expect(first.failed).toBe(0);
    expect(Object.keys(first.outputs).sort()).toEqual(['fig1', 'fig3', 'fig4', 'fig5', 'fig6']);
    const again = summaryOf(await runAll(study, { store, executor: 'in-process', overrides: small, backend: ['ml-matrix'] }));
    expect(again.computed).toBe(0);
    expect(again.cached).toBe(first.computed + first.cached);
  });
});
