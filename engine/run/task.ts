/**
 * One task's way through a run: inputs from upstream outcomes, the key, the cache, the per-key
 * lock (another run may be computing it), the executor, then the object and the record. Every
 * path ends in exactly one call on the accounting; nothing here throws to the scheduler.
 */
import { checkCache, describeCacheProblem } from '../cache.ts';
import type { RunEvent } from '../events.ts';
import type { ExpandedPipeline, TaskSpec } from '../expand.ts';
import { TaskError, type Executor, type TaskJob } from '../executors/job.ts';
import { completeRecord, type RecordTemplate } from '../executors/task-record.ts';
import { taskKey } from '../key.ts';
import type { PreparedRun } from '../prepare.ts';
import type { NodeAddress } from '../registry/find-node.ts';
import { nodeModuleId, registeredNode } from '../registry/registry.ts';
import type { Store } from '../store/store.ts';
import { lockOrWait } from '../store/task-lock.ts';
import type { KeyedTask, RunAccounting } from './accounting.ts';
import type { Semaphore } from './semaphore.ts';

export interface TaskRunContext {
  readonly pipeline: string;
  readonly expanded: ExpandedPipeline;
  readonly prepared: PreparedRun;
  readonly store: Store;
  readonly executor: Executor;
  readonly slots: Semaphore;
  readonly accounting: RunAccounting;
  readonly entry: string | undefined;
  /** when the run computed its fingerprints (ISO): a worker names the files changed since */
  readonly plannedAt: string;
  readonly fsync: boolean;
  /** aborted when the run stops scheduling (cancelled, or --fail-fast after a failure) */
  readonly stop: AbortSignal;
  /** `--force`: compute this task even when its key is cached */
  forced(t: TaskSpec): boolean;
  emit(e: RunEvent): void;
  /** called after a task failed (fail-fast stops the run here) */
  onFailure(t: TaskSpec): void;
}

/** Where a worker finds the task's node (engine/registry/find-node.ts). */
function nodeAddress(t: TaskSpec, pipeline: string, entry: string | undefined): NodeAddress {
  const severalDefinitions = (registeredNode(t.node.name)?.definitions ?? 1) > 1;
  return {
    name: t.node.name,
    module: t.node.module,
    ...(entry ? { entry } : {}),
    ...(severalDefinitions ? { madeBy: { pipeline, step: t.step } } : {}),
  };
}

/** The upstream hashes of each input, or the failed upstream that makes this task impossible. */
function gatherInputs(t: TaskSpec, c: TaskRunContext): { hashes: Record<string, string | string[]> } | { failed: string } | { cancelled: true } {
  const hashes: Record<string, string | string[]> = {};
  for (const [name, input] of Object.entries(t.inputs)) {
    const list: string[] = [];
    for (const u of input.tasks) {
      const o = c.accounting.outcome(u);
      if (o?.s === 'ok') list.push(o.hash);
      else if (o?.s === 'cancelled' || o === undefined) return { cancelled: true };
      else return { failed: o.s === 'skipped' ? o.failed : c.expanded.tasks[u]!.name };
    }
    hashes[name] = input.gather ? list : list[0]!;
  }
  return { hashes };
}

/** The job a worker receives; `hashes` are the inputs' upstream hashes, as gatherInputs found them. */
function jobFor(t: TaskSpec, c: TaskRunContext, k: KeyedTask, hashes: Readonly<Record<string, string | string[]>>): TaskJob {
  const tasks = c.expanded.tasks;
  const fp = c.prepared.fingerprints.get(t.node.name)!;
  const job: TaskJob = {
    node: nodeAddress(t, c.pipeline, c.entry),
    step: t.step,
    task: t.name,
    params: t.params,
    paramsCanonical: t.paramsCanonical,
    inputs: Object.fromEntries(
      Object.entries(t.inputs).map(([name, input]) => [
        name,
        {
          kind: tasks[input.tasks[0]!]?.node.output.kind ?? 'json',
          hashes: ([] as string[]).concat(hashes[name]!),
          gather: input.gather,
          cells: input.tasks.map((u) => tasks[u]!.cell),
        },
      ]),
    ),
    outputKind: t.node.output.kind,
    storeRoot: c.store.root,
    fsync: c.fsync,
    backends: c.prepared.backendChoices,
    code: { hash: fp.code, plannedAt: c.plannedAt },
  };
  if (!c.executor.remote) return job;
  // a remote worker writes the record itself and, in another checkout, names the files that differ
  return { ...job, code: { ...job.code!, files: fp.files }, record: recordTemplate(t, c, k, job), ...(c.forced(t) ? { forced: true } : {}) };
}

/** What the task's record holds before it runs (task-record.ts adds the output, timing and host). */
function recordTemplate(t: TaskSpec, c: TaskRunContext, k: KeyedTask, job: TaskJob): RecordTemplate {
  return {
    format: 'featureflow-task-record/1',
    key: k.key,
    task: t.name,
    pipeline: c.pipeline,
    step: t.step,
    nodeAddress: { ...job.node, moduleId: nodeModuleId(t.node) },
    components: k.components,
    params: t.params,
    inputCells: Object.fromEntries(Object.entries(job.inputs).filter(([, i]) => i.gather).map(([n, i]) => [n, i.cells])),
    output: { kind: k.kind as RecordTemplate['output']['kind'] },
  };
}

async function cachedHash(c: TaskRunContext, t: TaskSpec, key: string, warn: boolean): Promise<string | undefined> {
  const found = await checkCache(c.store, key, { kind: t.node.output.kind });
  if (found.state === 'cached') return found.record.output.hash;
  const problem = warn ? describeCacheProblem(found) : undefined;
  if (problem) c.emit({ type: 'warning', task: t.name, message: problem });
  return undefined;
}

/** Take the per-key lock, or (unless forced) take another run's result; tell the run while waiting. */
async function lockOrResult(c: TaskRunContext, t: TaskSpec, key: string, forced: boolean): Promise<{ lock: { release(): Promise<void> } } | { hash: string } | 'stopped'> {
  const got = await lockOrWait(c.store, key, {
    signal: c.stop,
    onWait: (holder) => c.emit({ type: 'task-waiting', task: t.name, step: t.step, holder }),
    cachedHash: async () => (forced ? undefined : cachedHash(c, t, key, false)),
  });
  if (got.kind === 'cancelled') return 'stopped';
  if (got.kind === 'cached') return { hash: got.hash };
  return { lock: got.lock };
}

async function compute(t: TaskSpec, c: TaskRunContext, k: KeyedTask, job: TaskJob, freeSlot: () => void): Promise<void> {
  let startedAt: string | undefined;
  const started = () => {
    if (startedAt !== undefined) return;
    startedAt = new Date().toISOString();
    c.emit({ type: 'task-started', task: t.name, step: t.step, key: k.key });
  };
  const result = await c.executor.execute(
    job,
    {
      signal: c.stop,
      onStart: started,
      onProgress: (fraction, message) => c.emit({ type: 'task-progress', task: t.name, fraction, ...(message ? { message } : {}) }),
      onWarning: (message) => c.emit({ type: 'warning', task: t.name, message }),
    },
    t.node,
  );
  started(); // an executor of the user's own may not report the start
  // the next task may compute while this one's objects and record reach the disk
  freeSlot();
  // a remote worker has committed and recorded already: the store holds the task's truth
  if (!result.recorded) {
    await Promise.all(result.staged.map((s) => c.store.commitObject(s.hash, s.tmp)));
    const template = job.record ?? recordTemplate(t, c, k, job);
    await c.store.writeRecord(completeRecord(template, { hash: result.hash, bytes: result.bytes, startedAt: startedAt!, durationMs: result.durationMs }));
  }
  c.accounting.done(t, k, result.hash, result.durationMs);
}

/** A worker's stack travels as TaskError.detail; an in-process error has its own. */
const stackOf = (err: unknown): string | undefined => (err instanceof TaskError ? err.detail : err instanceof Error ? err.stack : undefined);
const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** Run one task to its terminal event. Never throws. */
export async function handleTask(t: TaskSpec, c: TaskRunContext): Promise<void> {
  const inputs = gatherInputs(t, c);
  if ('failed' in inputs) return c.accounting.skipped(t, inputs.failed);
  if ('cancelled' in inputs || c.stop.aborted) return c.accounting.cancelled(t, reasonOf(c.stop));

  let k: KeyedTask | undefined;
  let lock: { release(): Promise<void> } | undefined;
  let slotHeld = false;
  const freeSlot = () => {
    if (slotHeld) c.slots.release();
    slotHeld = false;
  };
  try {
    const components = c.prepared.componentsOf(t, inputs.hashes);
    k = { key: taskKey(components), components, kind: t.node.output.kind };
    const forced = c.forced(t);
    const hit = forced ? undefined : await cachedHash(c, t, k.key, true);
    if (hit !== undefined) return c.accounting.cached(t, k, hit);

    await c.slots.acquire();
    slotHeld = true;
    const got = await lockOrResult(c, t, k.key, forced);
    if (got === 'stopped') return c.accounting.cancelled(t, reasonOf(c.stop));
    if ('hash' in got) return c.accounting.cached(t, k, got.hash);
    lock = got.lock;
    // another run may have finished it between our check and our lock
    const again = await checkCache(c.store, k.key, { kind: k.kind });
    if (again.state === 'cached' && !forced) return c.accounting.cached(t, k, again.record.output.hash);
    // a corrupt record goes; a valid one a forced task replaces only by writing its own (atomically)
    if (again.state !== 'absent' && again.state !== 'cached') await c.store.deleteRecord(k.key);
    await compute(t, c, k, jobFor(t, c, k, inputs.hashes), freeSlot);
  } catch (err) {
    // stopped by the run (its abort reason came back), not a failure of its own
    if (c.stop.aborted && (err === c.stop.reason || (err instanceof Error && err.name === 'AbortError'))) return c.accounting.cancelled(t, reasonOf(c.stop));
    c.accounting.failed(t, k, message(err), stackOf(err));
    c.onFailure(t);
  } finally {
    freeSlot();
    if (lock) await lock.release().catch((err: unknown) => c.emit({ type: 'warning', task: t.name, message: `could not release its lock: ${message(err)}` }));
  }
}

export function reasonOf(stop: AbortSignal): string {
  return stop.aborted ? message(stop.reason) || 'cancelled' : 'cancelled';
}
