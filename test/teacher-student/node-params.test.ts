import { describe, it, expect } from 'vitest';
import { analyticCurveNode, modulationNode, teacherDataNode, gdLoopCurveNode } from '../../nodes/teacher-student/index.ts';

/** The engine turns these schema errors into "step.param=value: message" before anything runs. */
function issues(schema: { safeParse(v: unknown): { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } } }, value: unknown) {
  const r = schema.safeParse(value);
  return r.success ? [] : r.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('node parameter validation (bad input is an error before anything runs)', () => {
  it('bipartite F: p ≤ 0, p ≥ d and κ < 1 are named errors', () => {
    expect(issues(modulationNode.params, { d: 10, p: 0, kappa: 2 })).toEqual([expect.stringMatching(/^p: .*0 < p < d/)]);
    expect(issues(modulationNode.params, { d: 10, p: 10, kappa: 2 })).toEqual([expect.stringMatching(/^p: /)]);
    expect(issues(modulationNode.params, { d: 10, p: 5, kappa: 0.5 })).toEqual([expect.stringMatching(/^kappa: .*≥ 1/)]);
    expect(issues(analyticCurveNode.params, { n: 10, d: 10, p: 0, kappa: 2 })[0]).toMatch(/^p: /);
    expect(issues(analyticCurveNode.params, { n: 10, d: 10, p: 3, kappa: 0.9 })[0]).toMatch(/^kappa: /);
  });

  it('n < 1 is a named error', () => {
    expect(issues(teacherDataNode.params, { n: 0, d: 10 })[0]).toMatch(/^n: .*≥ 1/);
    expect(issues(analyticCurveNode.params, { n: 0, d: 10, p: 3, kappa: 2 })[0]).toMatch(/^n: /);
  });

  it('a general F that is singular or of the wrong size is a named error', () => {
    expect(issues(modulationNode.params, { d: 2, kind: 'matrix', matrix: [1, 2, 2, 4] })).toEqual(['matrix: matrix is singular: F must be invertible']);
    expect(issues(modulationNode.params, { d: 2, kind: 'matrix', matrix: [1, 2, 3] })[0]).toMatch(/^matrix: .*4 entries/);
    expect(issues(modulationNode.params, { d: 2, kind: 'matrix', matrix: [1, 0, 0, 1] })).toEqual([]);
  });

  it('a non-finite or wrong-length spectrum is a named error', () => {
    expect(issues(modulationNode.params, { d: 2, kind: 'spectrum', spectrum: [1, Number.POSITIVE_INFINITY] })[0]).toMatch(/^spectrum(\.\d+)?: .*finite/);
    expect(issues(modulationNode.params, { d: 2, kind: 'spectrum', spectrum: [1, Number.NaN] })[0]).toMatch(/^spectrum(\.\d+)?: .*finite/);
    expect(issues(modulationNode.params, { d: 3, kind: 'spectrum', spectrum: [1, 2] })[0]).toMatch(/^spectrum: .*3 values/);
  });

  it('Langevin noise with the eigenbasis solver is rejected', () => {
    expect(issues(gdLoopCurveNode.params, { steps: 10, solver: 'eigenbasis', beta: 10 })[0]).toMatch(/^beta: /);
  });
});
