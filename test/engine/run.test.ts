import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Subject, takeUntil } from 'rxjs';
import { run } from '../../engine/run.ts';
import { definePipeline, gather } from '../../engine/pipeline.ts';
import { Store } from '../../engine/store/store.ts';
import type { RunEvent } from '../../engine/events.ts';
import { noise, summarise } from '../fixtures/pipelines/tiny-nodes.ts';
import { ofType, runAll, summaryOf, tempStore, tinyPipelinePath } from './helpers.ts';

function inlinePipeline(noiseNode = noise) {
  const p = definePipeline({ name: 'inline', description: 'test', module: import.meta.url });
  const { seed } = p.grid({ seed: [0, 1, 2] });
  const draws = p.step('noise', noiseNode, { params: { seed, size: 20 } });
  p.output('summary', p.step('summary', summarise, { inputs: { draws: gather(draws, 'seed') } }));
  return p;
}

function taskHashes(events: readonly RunEvent[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of events) if (e.type === 'task-done' || e.type === 'task-cached') out[e.task] = e.output;
  return out;
}

describe('runs', () => {
  it('give byte-identical artifacts on either executor and at any concurrency', async () => {
    const results = [];
    for (const [executor, concurrency] of [['in-process', 1], ['threads', 1], ['threads', 2]] as const) {
      const events = await runAll(tinyPipelinePath, { store: tempStore(), executor, concurrency });
      const trouble = events.filter((e) => e.type === 'task-failed' || e.type === 'task-skipped' || e.type === 'warning');
      expect(summaryOf(events).computed, `${executor} ×${concurrency}: ${JSON.stringify(trouble)}`).toBe(10);
      results.push(taskHashes(events));
    }
    expect(results[1]).toEqual(results[0]);
    expect(results[2]).toEqual(results[0]);
  });

  it('recompute nothing on a rerun, and only the new cells when a sweep grows', async () => {
    const store = tempStore();
    await runAll(tinyPipelinePath, { store, executor: 'in-process' });
    const again = summaryOf(await runAll(tinyPipelinePath, { store, executor: 'in-process' }));
    expect([again.computed, again.cached]).toEqual([0, 10]);
    const grown = summaryOf(await runAll(tinyPipelinePath, { store, executor: 'in-process', overrides: { seed: [0, 1, 2, 3, 4] } }));
    // two new noise cells, and both summaries (their gathered inputs changed)
    expect([grown.computed, grown.cached]).toEqual([4, 8]);
  });

  it('cut off early: a version bump that changes no bytes leaves the downstream cached', async () => {
    const store = tempStore();
    await runAll(inlinePipeline(), { store, executor: 'in-process' });
    const events = await runAll(inlinePipeline({ ...noise, version: 2 }), { store, executor: 'in-process' });
    expect(ofType(events, 'task-done').map((e) => e.step)).toEqual(['noise', 'noise', 'noise']);
    expect(ofType(events, 'task-cached').map((e) => e.task)).toEqual(['summary']);
  });

  it('report a corrupt object, never use it, and recompute that task only', async () => {
    const storeDir = tempStore();
    const first = await runAll(inlinePipeline(), { store: storeDir, executor: 'in-process' });
    const victim = ofType(first, 'task-done').find((e) => e.task === 'noise[seed=1]')!;
    const store = await Store.open(storeDir);
    const path = store.objectPath(victim.output);
    const bytes = readFileSync(path);
    bytes[bytes.length >> 1] ^= 0xff;
    writeFileSync(path, bytes);
    const second = await runAll(inlinePipeline(), { store: storeDir, executor: 'in-process' });
    expect(ofType(second, 'warning').map((w) => w.task)).toEqual(['noise[seed=1]']);
    expect(ofType(second, 'warning')[0]!.message).toMatch(/corrupt/);
    expect(ofType(second, 'task-done').map((e) => e.task)).toEqual(['noise[seed=1]']);
    expect(ofType(second, 'task-done')[0]!.output).toBe(victim.output);
    expect(await store.objectState(victim.output)).toBe('ok');
  });

  it('treat a corrupt task record as absent: warn and recompute', async () => {
    const storeDir = tempStore();
    const first = await runAll(inlinePipeline(), { store: storeDir, executor: 'in-process' });
    const done = ofType(first, 'task-done').find((e) => e.task === 'noise[seed=2]')!;
    const store = await Store.open(storeDir);
    writeFileSync(store.recordPath(done.key), '{ not json');
    const second = await runAll(inlinePipeline(), { store: storeDir, executor: 'in-process' });
    expect(ofType(second, 'warning')[0]!.message).toMatch(/task record is corrupt/);
    expect(ofType(second, 'task-done').map((e) => e.task)).toEqual(['noise[seed=2]']);
  });

  it('fail only the downstream of a failed task; independent tasks go on', async () => {
    const events = await runAll(tinyPipelinePath, { store: tempStore(), executor: 'in-process', overrides: { 'noise.failOnSeed': 2 } });
    const s = summaryOf(events);
    expect(ofType(events, 'task-failed').map((e) => e.task).sort()).toEqual(['noise[seed=2,scale=1]', 'noise[seed=2,scale=2]']);
    expect(ofType(events, 'task-failed')[0]!.error).toMatch(/asked to fail/);
    expect(ofType(events, 'task-skipped').map((e) => [e.task, e.failed])).toEqual([
      ['summary[scale=1]', 'noise[seed=2,scale=1]'],
      ['summary[scale=2]', 'noise[seed=2,scale=2]'],
    ]);
    expect([s.computed, s.failed, s.skipped]).toEqual([6, 2, 2]);
  });

  it('stop scheduling after the first failure with failFast', async () => {
    const s = summaryOf(await runAll(tinyPipelinePath, { store: tempStore(), executor: 'in-process', failFast: true, overrides: { 'noise.failOnSeed': 0 } }));
    expect(s.failed).toBe(1);
    expect(s.computed).toBeLessThan(6);
  });

  it('cancel on unsubscribe: running tasks see the abort, no partial files remain, finished tasks stay cached', async () => {
    const storeDir = tempStore();
    const stop = new Subject<void>();
    const seen: RunEvent[] = [];
    await new Promise<void>((resolve) => {
      let done = 0;
      const sub = run(join(tinyPipelinePath, '../slow.ts'), { store: storeDir, executor: 'threads', concurrency: 2, fsync: false })
        .pipe(takeUntil(stop))
        .subscribe({
          next: (e) => {
            seen.push(e);
            if (e.type === 'task-done' && ++done === 3) stop.next();
          },
          complete: () => resolve(),
        });
      void sub;
    });
    const finishedBefore = new Set(ofType(seen, 'task-done').map((e) => e.task));
    await new Promise((r) => setTimeout(r, 2500)); // let the cancelled run clean up
    expect(readdirSync(join(storeDir, 'tmp'))).toEqual([]);
    expect(readdirSync(join(storeDir, 'locks'))).toEqual([]);
    const rerun = await runAll(join(tinyPipelinePath, '../slow.ts'), { store: storeDir, executor: 'in-process' });
    const cached = new Set(ofType(rerun, 'task-cached').map((e) => e.task));
    for (const t of finishedBefore) expect(cached.has(t)).toBe(true);
  });
});
