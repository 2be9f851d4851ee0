/**
 * A run much larger than its window of tasks in hand (issue: own project, "scale"): every task
 * still runs once, each downstream task sees all its inputs, and a rerun is all cached through
 * the one-listing cache check.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineNode } from '../../engine/node.ts';
import { definePipeline, gather } from '../../engine/pipeline.ts';
import { json, many } from '../../engine/ports.ts';
import { ofType, runAll, summaryOf, tempStore } from './helpers.ts';

const computed: number[] = [];
const cell = defineNode({
  name: 'large-run/cell',
  version: 1,
  module: import.meta.url,
  params: z.object({ i: z.number(), j: z.number() }),
  inputs: {},
  output: json<number>(),
  run: ({ params }) => {
    computed.push(params.i * 100 + params.j);
    return params.i * 100 + params.j;
  },
});
const row = defineNode({
  name: 'large-run/row',
  version: 1,
  module: import.meta.url,
  params: z.object({}),
  inputs: { cells: many(json<number>()) },
  output: json<number>(),
  run: ({ inputs }) => inputs.cells.reduce((s, c) => s + c.value, 0),
});

const range = (n: number) => Array.from({ length: n }, (_, k) => k);
const p = definePipeline({ name: 'large-run', description: 'a 60 × 60 grid and a gather per row', module: import.meta.url });
const { i, j } = p.grid({ i: range(60), j: range(60) }); // 3600 cells: above the listing threshold and the window
const cells = p.step('cell', cell, { params: { i, j } });
const rows = p.step('row', row, { inputs: { cells: gather(cells, ['j']) } });
p.output('rows', rows);

describe('a run larger than its window of tasks in hand', () => {
  it('computes every task once, then serves all of them from the cache', async () => {
    const store = tempStore();
    computed.length = 0;
    const first = await runAll(p, { store, executor: 'in-process', concurrency: 2 });
    expect(summaryOf(first)).toMatchObject({ computed: 3660, cached: 0, failed: 0 });
    expect(new Set(computed).size).toBe(3600);
    expect(computed.length).toBe(3600);
    const sums = ofType(first, 'task-done').filter((e) => e.step === 'row');
    expect(sums).toHaveLength(60);
    const rowOutputs = ofType(first, 'summary')[0]!.outputs.rows!;
    expect(Object.keys(rowOutputs)).toHaveLength(60);

    const again = await runAll(p, { store, executor: 'in-process', concurrency: 2 });
    expect(summaryOf(again)).toMatchObject({ computed: 0, cached: 3660 });
  }, 120_000);
});
