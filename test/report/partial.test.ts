/** The live view's partial gather: computed in memory from the done cells, never stored. */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPipeline } from '../../engine/load.ts';
import { expandAsRun } from '../../engine/report/build-model.ts';
import { listRunRecords } from '../../engine/run-record.ts';
import { PartialEvaluator } from '../../engine/serve/partial.ts';
import { Store } from '../../engine/store/store.ts';
import { builtinPipelineNames } from '../../engine/load.ts';
import { runAll, tempStore, tinyPipelinePath } from '../engine/helpers.ts';
import { STUDY_SIZES } from './study-sizes.ts';

const filesUnder = (dir: string): string[] => readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));

describe('the live view of a gather whose cells are not all done', () => {
  it('runs the gather on the done cells in memory, says how many, and writes nothing to the store', async () => {
    const root = tempStore();
    await runAll(tinyPipelinePath, { store: root, executor: 'in-process' });
    const store = await Store.open(root);
    const pipeline = await loadPipeline(tinyPipelinePath);
    const expanded = expandAsRun(pipeline, { request: { overrides: {}, executor: 'in-process', concurrency: 1 } });
    const [run] = await listRunRecords(store, 'tiny');
    const outputs = new Map(run!.tasks.map((t) => [t.task, t.output!]));
    const doneNames = new Set(['noise[seed=0,scale=1]', 'noise[seed=2,scale=1]', 'noise[seed=0,scale=2]', 'noise[seed=1,scale=2]', 'noise[seed=2,scale=2]', 'noise[seed=3,scale=2]']);
    const before = filesUnder(root).sort();
    const evaluator = new PartialEvaluator(expanded, store, (id) => (doneNames.has(expanded.tasks[id]!.name) ? outputs.get(expanded.tasks[id]!.name) : undefined));
    const id = (name: string) => expanded.tasks.find((t) => t.name === name)!.id;

    const partial = await evaluator.value(id('summary[scale=1]'));
    expect(partial?.partial).toEqual({ done: 2, of: 4 });
    expect((partial?.value as { cells: number }).cells).toBe(2);
    // every input done: the executor computes it, the live view waits
    expect(await evaluator.value(id('summary[scale=2]'))).toBeUndefined();
    // nothing done upstream: nothing to draw
    const none = new PartialEvaluator(expanded, store, () => undefined);
    expect(await none.value(id('summary[scale=1]'))).toBeUndefined();
    expect(filesUnder(root).sort()).toEqual(before);
  });

  it('every built-in study has a size for its report browser test (a new study adds one in test/report/study-sizes.ts)', () => {
    expect(builtinPipelineNames().filter((n) => !(n in STUDY_SIZES))).toEqual([]);
  });
});
