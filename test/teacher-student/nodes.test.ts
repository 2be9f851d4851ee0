import { describe, it, expect } from 'vitest';
import type { Table } from 'apache-arrow';
import { runNode } from '../../engine/testing.ts';
import { numericColumn, tableMetadata } from '../../engine/table.ts';
import type { Figure, GatheredValue, TensorBundle } from '../../engine/ports.ts';
import {
  analyticCurveNode,
  exactCurveNode,
  figure1Node,
  figure3Node,
  figure4Node,
  figure5Node,
  figure6Node,
  gdClosedFormCurveNode,
  gdLoopCurveNode,
  modulationNode,
  ridgeProxyCurveNode,
  studentInputsNode,
  teacherDataNode,
} from '../../nodes/teacher-student/index.ts';
import defaultPipeline from '../../pipelines/teacher-student.ts';

const backend = ['ml-matrix'];

// engine/testing.ts's `O extends Port<unknown>` rejects these nodes at compile time (Port<V> is
// invariant in V), so the test calls runNode through typed wrappers
function runAs<T>(node: unknown, options: Record<string, unknown> = {}): Promise<T> {
  return runNode(node as never, options as never) as Promise<T>;
}
const runTensorNode = (node: unknown, options: Record<string, unknown>) => runAs<TensorBundle>(node, options);
const runTable = (node: unknown, options: Record<string, unknown>) => runAs<Table>(node, options);
const runFigure = (node: unknown, options: Record<string, unknown>) => runAs<Figure>(node, options);
const small = { n: 40, d: 20 };
const grid = { log10TMin: -1, log10TMax: 4, tPoints: 12 };

async function draw(seed: number, kappa: number) {
  const teacher = await runTensorNode(teacherDataNode, { params: { ...small, nTest: 50, seed }, backend });
  const modulation = await runTensorNode(modulationNode, { params: { d: small.d, p: 8, kappa, seed }, backend });
  return { teacher, modulation };
}

function expectPngAndSvg(f: { svg: string; png?: Uint8Array; caption?: string }) {
  expect(f.svg.startsWith('<svg')).toBe(true);
  expect(Array.from(f.png!.slice(0, 4))).toEqual([0x89, 0x50, 0x4e, 0x47]);
}

describe('teacher–student nodes on small sizes (runNode)', () => {
  it('data, F, student inputs: shapes and determinism for a seed', async () => {
    const a = await draw(1, 5);
    const b = await draw(1, 5);
    expect(a.teacher.Z!.shape).toEqual([40, 20]);
    expect(a.teacher.Ztest!.shape).toEqual([50, 20]);
    expect(Array.from(a.teacher.w!.data)).toEqual(Array.from(b.teacher.w!.data));
    const c = await draw(2, 5);
    expect(Array.from(a.teacher.w!.data)).not.toEqual(Array.from(c.teacher.w!.data));
    const x = await runTensorNode(studentInputsNode, { inputs: a, backend });
    expect(x.X!.shape).toEqual([40, 20]);
    expect(x.Xtest!.shape).toEqual([50, 20]);
  });

  it('Fig. 3 pipeline pieces: GD, exact, ridge and analytic curves into a figure with a "mean ± one standard deviation over N seeds" caption', async () => {
    const gd: GatheredValue<Table>[] = [], exact: GatheredValue<Table>[] = [], ridge: GatheredValue<Table>[] = [], analytic: GatheredValue<Table>[] = [];
    for (const kappa of [1, 50]) {
      analytic.push({ cell: { kappa }, value: await runTable(analyticCurveNode, { params: { ...small, p: 8, kappa, ...grid } }) });
      for (const seed of [0, 1, 2]) {
        const inputs = await draw(seed, kappa);
        gd.push({ cell: { seed, kappa }, value: await runTable(gdClosedFormCurveNode, { inputs, params: grid, backend }) });
        exact.push({ cell: { seed, kappa }, value: await runTable(exactCurveNode, { inputs, params: grid, backend }) });
        ridge.push({ cell: { seed, kappa }, value: await runTable(ridgeProxyCurveNode, { inputs, params: grid, backend }) });
      }
    }
    expect(numericColumn(gd[0]!.value, 'testError').length).toBe(12);
    expect((tableMetadata(gd[3]!.value) as { kappa: number }).kappa).toBe(50);
    const fig = await runFigure(figure3Node, { inputs: { gd, exact, ridge, analytic } });
    expectPngAndSvg(fig);
    expect(fig.caption).toContain('mean ± one standard deviation over 3 seeds');
    const meta = tableMetadata(fig.table) as { seeds: number; sources: { p: { used: number; thesis: number; code: number } } };
    expect(meta.seeds).toBe(3);
    expect(meta.sources.p).toMatchObject({ used: 8, thesis: 50, code: 60 });
  });

  it('the analytic node passes pole warnings to ctx.warn', async () => {
    const warnings: string[] = [];
    const t = await runTable(analyticCurveNode, { params: { n: 90, d: 100, p: 50, kappa: 10, sigma: 0.5, lambda: 0 }, onWarning: (w: string) => warnings.push(w) });
    expect(warnings.some((w) => w.includes('pole') && w.includes('n=90, d=100'))).toBe(true);
    expect(t.getChild('valid')!.toArray().some((v: boolean) => !v)).toBe(true);
  });

  it('Fig. 1, 4, 5 and 6 figure nodes render from their curves', async () => {
    const variants = ['fast-only', 'slow-only', 'both'] as const;
    const fig1 = await runFigure(figure1Node, { inputs: { curves: await Promise.all(variants.map(async (variant) => ({ cell: { variant }, value: await runTable(analyticCurveNode, { params: { n: 130, d: 100, p: 70, kappa: 100, variant, tPoints: 40 } }) }))) } });
    expectPngAndSvg(fig1);
    const fig4 = await runFigure(figure4Node, { params: { gridPoints: 10 }, inputs: { curves: await Promise.all([1, 100].map(async (kappa) => ({ cell: { kappa }, value: await runTable(analyticCurveNode, { params: { n: 110, d: 100, p: 70, kappa, tPoints: 40 } }) }))) } });
    expectPngAndSvg(fig4);
    const lambdas = [1e-1, 1e-3, 1e-8];
    const fig5 = await runFigure(figure5Node, { inputs: { curves: await Promise.all(lambdas.map(async (lambda) => ({ cell: { lambda }, value: await runTable(analyticCurveNode, { params: { n: 120, d: 100, p: 80, kappa: 40, sigma: 0.2, lambda, log10TMin: 0, log10TMax: 4, tPoints: 20 } }) }))) } });
    expectPngAndSvg(fig5);
    const runs: GatheredValue<Table>[] = [];
    for (const penalty of ['none', 'q'] as const) {
      for (const seed of [0, 1]) {
        const inputs = await draw(seed, 30);
        for (const solver of ['explicit', 'eigenbasis'] as const) {
          const value = await runTable(gdLoopCurveNode, { inputs, params: { steps: 300, recordPoints: 20, penalty, solver }, backend });
          if (solver === 'explicit') runs.push({ cell: { seed, penalty }, value });
          else expect(Array.from(numericColumn(value, 'testError')).map((v) => v.toPrecision(8))).toEqual(Array.from(numericColumn(runs[runs.length - 1]!.value, 'testError')).map((v) => v.toPrecision(8)));
        }
      }
    }
    const fig6 = await runFigure(figure6Node, { inputs: { curves: runs } });
    expectPngAndSvg(fig6);
    expect(fig6.caption).toContain('mean ± one standard deviation over 2 seeds');
  });

  it('the pipeline module wires every figure and has a paper profile', () => {
    expect([...defaultPipeline.outputs.keys()].sort()).toEqual(['fig1', 'fig3', 'fig4', 'fig5', 'fig6']);
    const paper = defaultPipeline.profiles.paper!.set as Record<string, number[]>;
    expect(paper['fig3-teacher.seed']!.length).toBe(100);
    expect(paper['fig6-teacher.seed']!.length).toBe(100);
    expect(defaultPipeline.axes.get('fig5_lambda')!.values.length).toBe(100);
  });
});
