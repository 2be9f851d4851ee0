import { describe, expect, it } from 'vitest';
import { testBlock } from '../../nodes/balancing/block-test.ts';
import { sampleStd, summariseMethod, type MethodResult, type RunCell } from '../../nodes/balancing/summary.ts';
import { studyTable } from '../../nodes/balancing/result-table.ts';
import { matchThesisDataset } from '../../nodes/balancing/reference-table.ts';
import type { TrainingRun } from '../../nodes/balancing/train/run.ts';

function result(method: string, values: number[], usesAttributes = false): MethodResult {
  return { method, usesAttributes, selector: 'worst-group-val', config: {}, validationScore: 0, seeds: values.map((_, i) => i), selectedEpochs: values.map(() => 0), testWorstGroup: values, mean: values.reduce((s, v) => s + v, 0) / values.length, std: sampleStd(values), configsTried: 1 };
}

/** a fake run whose validation worst-group accuracy per epoch is `val` and test is `test` */
function fakeRun(val: number[], test: number[]): TrainingRun {
  return {
    groupAccuracy: { train: [], val: val.map((v) => [v, 1]), test: test.map((v) => [v, 1]) },
    averageAccuracy: { train: [], val: val.map((v) => (v + 1) / 2), test: [] },
  } as unknown as TrainingRun;
}

describe('per-method summary', () => {
  it('picks the configuration with the best mean validation score over seeds and reports its test accuracy per seed', () => {
    const runs: RunCell[] = [
      { cell: { lr: 1, seed: 0 }, value: fakeRun([0.5, 0.9], [0.4, 0.8]) },
      { cell: { lr: 1, seed: 1 }, value: fakeRun([0.6, 0.7], [0.5, 0.6]) },
      { cell: { lr: 2, seed: 0 }, value: fakeRun([0.95, 0.1], [0.9, 0.1]) },
      { cell: { lr: 2, seed: 1 }, value: fakeRun([0.2, 0.3], [0.2, 0.3]) },
    ];
    const r = summariseMethod({ name: 'ERM', usesAttributes: false }, runs, 'worst-group-val');
    expect(r.config).toEqual({ lr: 1 });
    expect(r.selectedEpochs).toEqual([1, 1]);
    expect(r.testWorstGroup).toEqual([0.8, 0.6]);
    expect(r.mean).toBeCloseTo(0.7, 15);
    expect(r.std).toBeCloseTo(Math.sqrt(0.02), 15); // ddof = 1
    expect(r.configsTried).toBe(2);
  });
});

describe('Alexander–Govern within a block', () => {
  it('tests a block of methods with varying accuracies', () => {
    const b = testBlock([result('ERM', [0.5, 0.6, 0.55]), result('JTT', [0.9, 0.85, 0.95]), result('RWY', [0.7, 0.72, 0.69])]);
    expect(b.testable).toBe(true);
    if (b.testable) {
      expect(b.pvalue).toBeGreaterThanOrEqual(0);
      expect(b.significant).toBe(b.pvalue < 0.05);
    }
  });
  it('reports a method with identical accuracy on every seed as untestable, naming it', () => {
    const b = testBlock([result('RWG', [0.9, 0.95, 0.97]), result('SUBG', [1, 1, 1]), result('gDRO', [0.8, 0.9, 1])]);
    expect(b).toEqual({ testable: false, methods: ['RWG', 'SUBG', 'gDRO'], reason: 'SUBG has the same test worst-group accuracy (1) on every seed: zero variance' });
  });
  it('reports a single seed or a single method as untestable', () => {
    expect(testBlock([result('ERM', [0.5]), result('JTT', [0.7, 0.8])])).toMatchObject({ testable: false, reason: /ERM has 1 seed/ });
    expect(testBlock([result('ERM', [0.5, 0.6])])).toMatchObject({ testable: false, reason: /has 1 method/ });
  });
  it('the table carries untestable blocks as a reason and nulls, never NaN', () => {
    const results = [result('ERM', [0.5, 0.6]), result('SUBG', [1, 1], true), result('RWG', [0.9, 1], true)];
    const blocks = { withoutAttributes: testBlock(results.slice(0, 1)), withAttributes: testBlock(results.slice(1)) };
    const t = studyTable({ dataset: 'synthetic', results, blocks, metadata: {} });
    expect(t.getChild('block_test')!.toArray()).toEqual(['untestable', 'untestable', 'untestable']);
    expect(t.getChild('block_pvalue')!.get(1)).toBeNull();
    expect(t.getChild('block_untestable_reason')!.get(1)).toMatch(/SUBG .* zero variance/);
    expect(t.getChild('thesis_mean')!.get(0)).toBeNull();
    for (const name of ['test_worst_group_mean', 'test_worst_group_std']) {
      for (let i = 0; i < t.numRows; i++) expect(Number.isNaN(t.getChild(name)!.get(i))).toBe(false);
    }
  });
});

describe("the thesis' reference table", () => {
  it('matches dataset names ignoring case and punctuation', () => {
    expect(matchThesisDataset('waterbirds')).toBe('Waterbirds');
    expect(matchThesisDataset('Civil-Comments')).toBe('CivilComments');
    expect(matchThesisDataset('synthetic')).toBeUndefined();
  });
});

describe('the study table as Parquet', () => {
  it('DuckDB reads it back with nulls for untestable blocks and the thesis columns', async () => {
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const { tableToParquet } = await import('../../engine/export.ts');
    const { writeFileSync, mkdtempSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const results = [result('ERM', [0.5, 0.6]), result('JTT', [0.7, 0.75]), result('SUBG', [1, 1], true), result('RWG', [0.9, 1], true)];
    const blocks = { withoutAttributes: testBlock(results.slice(0, 2)), withAttributes: testBlock(results.slice(2)) };
    const path = join(mkdtempSync(join(tmpdir(), 'ff-balancing-')), 'table.parquet');
    writeFileSync(path, tableToParquet(studyTable({ dataset: 'CelebA', results, blocks, metadata: {} })));
    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    const rows = (await conn.runAndReadAll(`SELECT method, test_worst_group_mean AS m, block_pvalue AS p, block_untestable_reason AS why, thesis_mean AS t FROM read_parquet('${path}')`)).getRowObjects();
    expect(rows.map((r) => r.method)).toEqual(['ERM', 'JTT', 'SUBG', 'RWG']);
    expect(rows[0]!.m).toBeCloseTo(55, 10);
    expect(typeof rows[0]!.p).toBe('number');
    expect(rows[2]!.p).toBeNull();
    expect(String(rows[2]!.why)).toMatch(/SUBG/);
    expect(rows[1]!.t).toBe(75.6);
  });
});

describe('balancing/worst-group-table node', () => {
  it('turns gathered runs of each method into the table, one row per method', async () => {
    const { worstGroupTableNode } = await import('../../nodes/balancing/table-node.ts');
    const { runTyped } = await import('../stats/run-node.ts');
    const methods = [{ name: 'ERM', usesAttributes: false }, { name: 'SUBY', usesAttributes: false }];
    const node = worstGroupTableNode(methods);
    const cells = (accs: number[]) => accs.map((a, seed) => ({ cell: { lr: 0.1, seed }, value: fakeRun([a], [a]) }));
    const t = await runTyped(node, { inputs: { ERM: cells([0.5, 0.6, 0.4]), SUBY: cells([0.8, 0.9, 0.85]) }, params: { dataset: 'MultiNLI' } });
    expect(t.getChild('method')!.toArray()).toEqual(['ERM', 'SUBY']);
    expect(t.getChild('test_worst_group_mean')!.get(0)).toBeCloseTo(50, 10);
    expect(t.getChild('block_test')!.get(0)).toBe('alexander-govern');
    expect(t.getChild('thesis_mean')!.get(1)).toBe(64.9);
  });
});
