/**
 * The remote-task piece both distributed executors share: the worker commits and records
 * itself, a duplicate job finds the record and computes nothing, and the coordinator (told
 * `recorded`) writes nothing of its own.
 */
import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../engine/events.ts';
import type { Executor, TaskJob } from '../../engine/executors/job.ts';
import { runRemoteTask } from '../../engine/executors/remote-task.ts';
import { Store } from '../../engine/store/store.ts';
import { ofType, runAll, summaryOf, tempStore, tinyPipelinePath } from '../engine/helpers.ts';

/** A "remote" executor in this process: it keeps every job it ran and answers through runRemoteTask. */
function remoteHere(store: Store, jobs: TaskJob[]): Executor {
  return {
    name: 'remote-here',
    concurrency: 2,
    remote: true,
    execute: (job, hooks) => {
      jobs.push(job);
      return runRemoteTask(job, hooks, { store });
    },
    close: async () => {},
  };
}

const outputs = (events: readonly RunEvent[]) =>
  Object.fromEntries([...ofType(events, 'task-done'), ...ofType(events, 'task-cached')].map((e) => [e.task, e.output]));

describe('a remote task', () => {
  it('is committed and recorded by the worker, with the same bytes as a local run, and a local rerun finds it cached', async () => {
    const dir = tempStore();
    const store = await Store.open(dir, { durability: 'none' });
    const jobs: TaskJob[] = [];
    const remote = await runAll(tinyPipelinePath, { store, executor: remoteHere(store, jobs) });
    expect(summaryOf(remote).computed).toBe(10);
    expect(jobs.every((j) => j.record?.key && j.code?.files)).toBe(true);
    const local = await runAll(tinyPipelinePath, { store: tempStore(), executor: 'in-process' });
    expect(outputs(remote)).toEqual(outputs(local));
    const again = summaryOf(await runAll(tinyPipelinePath, { store: dir, executor: 'in-process' }));
    expect([again.computed, again.cached]).toEqual([0, 10]);
  });

  it('run again for a key already recorded (a requeued job) returns that record without computing', async () => {
    const store = await Store.open(tempStore(), { durability: 'none' });
    const jobs: TaskJob[] = [];
    await runAll(tinyPipelinePath, { store, executor: remoteHere(store, jobs) });
    const job = jobs[0]!;
    const record = await store.readRecord(job.record!.key);
    let computed = false;
    const again = await runRemoteTask(job, { signal: new AbortController().signal, onStart: () => (computed = true), onProgress() {}, onWarning() {} }, { store });
    expect(computed).toBe(false);
    expect(again).toMatchObject({ recorded: true, hash: (record as { output: { hash: string } }).output.hash });
    expect(await store.readRecord(job.record!.key)).toEqual(record); // not rewritten
  });

  it('refuses code that differs from the coordinator, naming the file', async () => {
    const store = await Store.open(tempStore(), { durability: 'none' });
    const jobs: TaskJob[] = [];
    await runAll(tinyPipelinePath, { store, executor: remoteHere(store, jobs) });
    const job = jobs[0]!;
    const other = Object.fromEntries(Object.entries(job.code!.files!).map(([f, h]) => [f, f.includes('tiny-nodes') ? `x${h}` : h]));
    const stale: TaskJob = { ...job, forced: true, code: { hash: 'not-this-code', plannedAt: job.code!.plannedAt, files: other } };
    const err = await runRemoteTask(stale, { signal: new AbortController().signal, onProgress() {}, onWarning() {} }, { store }).catch((e: unknown) => e);
    expect(String(err)).toMatch(/this worker's code differs from the run's \(test\/fixtures\/pipelines\/tiny-nodes\.ts differ/);
  });
});
