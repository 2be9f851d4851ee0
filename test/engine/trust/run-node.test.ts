/**
 * Issue 11, point 6: `runNode` is the engine's own path — its param validation and its seed
 * (step name + canonical params) — so a test of a node sees what a run of it computes.
 */
import { describe, expect, it } from 'vitest';
import { definePipeline } from '../../../engine/pipeline.ts';
import { Store } from '../../../engine/store/store.ts';
import { decodeValue } from '../../../engine/store/values.ts';
import { runNode } from '../../../engine/testing.ts';
import { numericColumn } from '../../../engine/table.ts';
import { noise } from '../../fixtures/pipelines/tiny-nodes.ts';
import { ofType, runAll, tempStore } from '../helpers.ts';

describe('runNode', () => {
  it('gives the bytes a run of the same step and params stores', async () => {
    const p = definePipeline({ name: 'run-node-check', description: '', module: import.meta.url });
    p.output('x', p.step('draws', noise, { params: { seed: 3, size: 20 } }));
    const store = tempStore();
    const events = await runAll(p, { store, executor: 'in-process' });
    const hash = ofType(events, 'task-done')[0]!.output;
    const s = await Store.open(store);
    const stored = (await decodeValue('table', await s.getObject(hash), (h) => s.getObject(h))) as Parameters<typeof numericColumn>[0];
    const direct = await runNode(noise, { params: { seed: 3, size: 20 }, step: 'draws' });
    expect([...numericColumn(direct, 'x')]).toEqual([...numericColumn(stored, 'x')]);
    // the step name is part of the seed; it defaults to the node's name
    const other = await runNode(noise, { params: { seed: 3, size: 20 } });
    expect([...numericColumn(other, 'x')]).not.toEqual([...numericColumn(stored, 'x')]);
    expect([...numericColumn(other, 'x')]).toEqual([...numericColumn(await runNode(noise, { params: { seed: 3, size: 20 }, step: 'test/noise' }), 'x')]);
  });

  it('refuses a misspelt param as the engine does, instead of dropping it', async () => {
    await expect(runNode(noise, { params: { seed: 0, scael: 2 } as never })).rejects.toThrow(/node test\/noise has no parameter "scael"/);
    await expect(runNode(noise, { params: { seed: -1 } })).rejects.toThrow(/parameter seed=-1/);
  });
});
