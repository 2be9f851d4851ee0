/**
 * One task on a remote worker (a Redis pool worker, a SLURM array element): the coordinator is
 * on another host, so its temp paths mean nothing here and the worker commits the objects and
 * writes the task record itself, from the template the job carries. A requeued or duplicate job
 * (a stalled BullMQ job handed to a second worker, a SLURM job requeued while the first copy
 * still ran) finds the key's valid record and returns it without computing.
 */
import { checkCache } from '../cache.ts';
import { checkNodeCode } from '../registry/check-code.ts';
import { findNode } from '../registry/find-node.ts';
import type { Store } from '../store/store.ts';
import { executeTask } from './execute-task.ts';
import type { Executor, TaskHooks, TaskJob, TaskResult } from './job.ts';
import { completeRecord } from './task-record.ts';

export interface RemoteTaskOptions {
  /** the store as this host mounts it (its path may differ from the coordinator's `job.storeRoot`) */
  readonly store: Store;
  /**
   * runs the node: a local pool whose workers find the node and check its code (the Redis
   * worker, whose event loop must stay free); default: find, check and run in this thread
   */
  readonly executor?: Executor;
}

/** Compute (or find already recorded) one remote task; the result is always `recorded`. */
export async function runRemoteTask(job: TaskJob, hooks: TaskHooks, options: RemoteTaskOptions): Promise<TaskResult> {
  const template = job.record;
  if (!template) throw new Error(`task ${job.task}: its job carries no record template (a coordinator of another featureflow version?)`);
  const { store } = options;
  if (!job.forced) {
    const found = await checkCache(store, template.key, { kind: template.output.kind });
    if (found.state === 'cached') return { hash: found.record.output.hash, bytes: found.record.output.bytes, staged: [], durationMs: 0, recorded: true };
  }
  const here: TaskJob = { ...job, storeRoot: store.root, fsync: store.durability === 'each' };
  const startedAt = new Date().toISOString();
  const result = options.executor ? await options.executor.execute(here, hooks) : await computeHere(here, hooks);
  await Promise.all(result.staged.map((s) => store.commitObject(s.hash, s.tmp)));
  await store.writeRecord(completeRecord(template, { hash: result.hash, bytes: result.bytes, startedAt, durationMs: result.durationMs }));
  // the coordinator hears "done" only once the objects and the record are on disk
  await store.flush();
  return { hash: result.hash, bytes: result.bytes, staged: [], durationMs: result.durationMs, recorded: true };
}

/** Find the node through the registry, refuse code other than the run's, run it here. */
async function computeHere(job: TaskJob, hooks: TaskHooks): Promise<TaskResult> {
  const node = await findNode(job.node);
  if (job.code) await checkNodeCode(node, { code: job.code.hash, plannedAt: job.code.plannedAt, ...(job.code.files ? { files: job.code.files } : {}) }, job.backends);
  hooks.onStart?.();
  return executeTask(job, node, hooks);
}
