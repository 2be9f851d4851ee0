/**
 * `run(pipeline, options)`: the whole sweep as an Observable of RunEvents. Tasks start as soon
 * as their inputs exist; a task whose key is in the store (record + verified object) is cached;
 * everything else is computed by the executor under a per-key lock, its object stored, its
 * record written last. Keys use the inputs' content hashes, so an upstream recomputed to the
 * same bytes leaves its downstream cached (early cutoff). Unsubscribing cancels.
 */
import { hostname } from 'node:os';
import { readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { Observable } from 'rxjs';
import { checkCache, describeCacheProblem } from './cache.ts';
import type { RunEvent } from './events.ts';
import type { TaskSpec } from './expand.ts';
import { inProcessExecutor } from './executors/in-process.ts';
import type { Executor, TaskJob } from './executors/job.ts';
import { threadPoolExecutor } from './executors/thread-pool.ts';
import { taskKey } from './key.ts';
import { importPipeline, resolvePipeline } from './load.ts';
import type { Pipeline } from './pipeline.ts';
import { prepareRun, type PreparedRun } from './prepare.ts';
import { packageVersion } from './project.ts';
import { mainScriptEntry } from './registry/entry.ts';
import { nodeModuleId, registeredNode } from './registry/registry.ts';
import type { NodeAddress } from './registry/find-node.ts';
import { inWorkerMode, noteInertRun } from './registry/worker-mode.ts';

const HOST = hostname();
const VERSIONS = { node: process.version, featureflow: packageVersion() };
import type { TaskRecord } from './store/records.ts';
import { Store, type Durability } from './store/store.ts';
import { writeRunRecord, type RunRecordTask } from './run-record.ts';

export interface RunOptions {
  /** store directory (default `artifacts`) or an open Store */
  readonly store?: string | Store;
  /** `step.param` (or axis name) → value or list */
  readonly overrides?: ReadonlyMap<string, unknown> | Readonly<Record<string, unknown>>;
  readonly profile?: string;
  /** 'threads' (default), 'in-process', or an executor instance (not closed by the run) */
  readonly executor?: 'threads' | 'in-process' | Executor;
  /** workers for 'threads' (default: one per core) */
  readonly concurrency?: number;
  /** stop scheduling new tasks after the first failure */
  readonly failFast?: boolean;
  /**
   * URL of the module whose evaluation builds the pipeline; workers import it to find nodes that
   * a factory makes. Default: the pipeline file when `pipeline` is a path or name, else the
   * script Node started.
   */
  readonly entry?: string;
  /** `--backend` preference list, e.g. ['native'] */
  readonly backend?: readonly string[];
  /** when writes reach the disk: 'batch' (default), 'each' or 'none' (see Store) */
  readonly durability?: Durability;
  /** @deprecated false = durability 'none' */
  readonly fsync?: boolean;
}

type TaskState =
  | { readonly s: 'pending' }
  | { readonly s: 'ok'; readonly hash: string }
  | { readonly s: 'failed' }
  | { readonly s: 'skipped'; readonly failed: string };

class Semaphore {
  private waiting: (() => void)[] = [];
  constructor(private free: number) {}
  async acquire(): Promise<void> {
    if (this.free > 0) {
      this.free--;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }
  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.free++;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function toMap(o: RunOptions['overrides']): Map<string, unknown> {
  if (!o) return new Map();
  return o instanceof Map ? new Map(o) : new Map(Object.entries(o));
}

/**
 * Accepts a Pipeline object, a built-in name or a module path. Unsubscribing cancels the run.
 * Inside a worker (which imports a script to find its nodes) a run starts nothing and never emits.
 */
export function run(pipeline: Pipeline | string, options: RunOptions = {}): Observable<RunEvent> {
  if (inWorkerMode()) {
    return new Observable<RunEvent>(() => {
      noteInertRun(typeof pipeline === 'string' ? undefined : pipeline);
    });
  }
  return new Observable<RunEvent>((subscriber) => {
    const cancel = new AbortController();
    const emit = (e: RunEvent) => {
      if (!subscriber.closed) subscriber.next(e);
    };
    executeRun(pipeline, options, emit, cancel.signal).then(
      () => subscriber.complete(),
      (err: unknown) => subscriber.error(err),
    );
    return () => cancel.abort(new Error('run cancelled'));
  });
}

export async function executeRun(pipelineArg: Pipeline | string, options: RunOptions, emit: (e: RunEvent) => void, cancelled: AbortSignal): Promise<void> {
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const pipelineUrl = typeof pipelineArg === 'string' ? resolvePipeline(pipelineArg) : undefined;
  const pipeline = pipelineUrl ? await importPipeline(pipelineUrl) : (pipelineArg as Pipeline);
  const entry = options.entry ?? pipelineUrl ?? mainScriptEntry();
  const durability: Durability = options.durability ?? (options.fsync === false ? 'none' : 'batch');
  const store = options.store instanceof Store ? options.store : await Store.open(options.store ?? 'artifacts', { durability });
  const fsync = store.durability === 'each';
  const prepared = await prepareRun(pipeline, { overrides: toMap(options.overrides), profile: options.profile, backend: options.backend });
  const tasks = prepared.expanded.tasks;

  const ownsExecutor = typeof options.executor !== 'object';
  const executor: Executor =
    typeof options.executor === 'object'
      ? options.executor
      : options.executor === 'in-process'
        ? inProcessExecutor(options.concurrency ?? 1)
        : threadPoolExecutor(options.concurrency);

  const steps: Record<string, number> = {};
  for (const t of tasks) steps[t.step] = (steps[t.step] ?? 0) + 1;
  emit({ type: 'plan', pipeline: pipeline.name, store: store.root, tasks: tasks.length, steps, executor: executor.name, concurrency: executor.concurrency });
  for (const note of prepared.notes) emit({ type: 'info', message: note });
  for (const message of factoryWarnings(tasks)) emit({ type: 'warning', message });

  const state: TaskState[] = tasks.map(() => ({ s: 'pending' }));
  const recordTasks: RunRecordTask[] = tasks.map((t) => ({ task: t.name, step: t.step, status: 'not-run' }));
  const dependents: number[][] = tasks.map(() => []);
  const waitingOn: number[] = tasks.map((t) => {
    const ups = new Set(Object.values(t.inputs).flatMap((i) => i.tasks));
    for (const u of ups) dependents[u]!.push(t.id);
    return ups.size;
  });
  const counts = { computed: 0, cached: 0, failed: 0, skipped: 0 };
  const slots = new Semaphore(executor.inFlight ?? executor.concurrency);
  const stop = new AbortController();
  const onCancel = () => stop.abort(cancelled.reason);
  cancelled.addEventListener('abort', onCancel, { once: true });
  const inFlight = new Set<Promise<void>>();
  let allSettled!: () => void;
  const finished = new Promise<void>((r) => (allSettled = r));
  let unresolved = tasks.length;

  const settle = (t: TaskSpec, s: TaskState) => {
    state[t.id] = s;
    unresolved--;
    for (const d of dependents[t.id]!) {
      if (--waitingOn[d]! === 0) schedule(tasks[d]!);
    }
    if (unresolved === 0) allSettled();
  };

  const schedule = (t: TaskSpec) => {
    const p = handle(t).finally(() => inFlight.delete(p));
    inFlight.add(p);
  };

  const handle = async (t: TaskSpec): Promise<void> => {
    const inputHashes: Record<string, string | string[]> = {};
    for (const [name, input] of Object.entries(t.inputs)) {
      const hashes: string[] = [];
      for (const u of input.tasks) {
        const us = state[u]!;
        if (us.s !== 'ok') {
          const failed = us.s === 'skipped' ? us.failed : tasks[u]!.name;
          counts.skipped++;
          recordTasks[t.id] = { ...recordTasks[t.id]!, status: 'skipped' };
          emit({ type: 'task-skipped', task: t.name, step: t.step, failed });
          settle(t, { s: 'skipped', failed });
          return;
        }
        hashes.push(us.hash);
      }
      inputHashes[name] = input.gather ? hashes : hashes[0]!;
    }
    if (stop.signal.aborted) {
      settle(t, { s: 'skipped', failed: 'cancelled' });
      return;
    }
    const components = prepared.componentsOf(t, inputHashes);
    const key = taskKey(components);
    const kind = t.node.output.kind as TaskRecord['output']['kind'];
    const base = { task: t.name, step: t.step, key, components };

    const cachedOrWarn = async (): Promise<string | undefined> => {
      const c = await checkCache(store, key);
      if (c.state === 'cached') return c.record.output.hash;
      const problem = describeCacheProblem(c);
      if (problem) emit({ type: 'warning', task: t.name, message: problem });
      return undefined;
    };

    let hash = await cachedOrWarn();
    if (hash !== undefined) {
      counts.cached++;
      recordTasks[t.id] = { ...base, status: 'cached', output: { kind, hash } };
      emit({ type: 'task-cached', task: t.name, step: t.step, key, output: hash });
      settle(t, { s: 'ok', hash });
      return;
    }

    await slots.acquire();
    let slotHeld = true;
    const freeSlot = () => {
      if (slotHeld) slots.release();
      slotHeld = false;
    };
    let lock = null;
    try {
      // another run may hold this key: wait for it, then take its result
      for (;;) {
        if (stop.signal.aborted) {
          settle(t, { s: 'skipped', failed: 'cancelled' });
          return;
        }
        lock = await store.lock(key);
        if (lock) break;
        await sleep(25);
        const c = await checkCache(store, key);
        if (c.state === 'cached') {
          hash = c.record.output.hash;
          break;
        }
      }
      if (!lock && hash !== undefined) {
        counts.cached++;
        recordTasks[t.id] = { ...base, status: 'cached', output: { kind, hash } };
        emit({ type: 'task-cached', task: t.name, step: t.step, key, output: hash });
        settle(t, { s: 'ok', hash });
        return;
      }
      const again = await checkCache(store, key);
      if (again.state === 'cached') {
        counts.cached++;
        recordTasks[t.id] = { ...base, status: 'cached', output: { kind, hash: again.record.output.hash } };
        emit({ type: 'task-cached', task: t.name, step: t.step, key, output: again.record.output.hash });
        settle(t, { s: 'ok', hash: again.record.output.hash });
        return;
      }
      if (again.state !== 'absent') await store.deleteRecord(key);

      emit({ type: 'task-started', task: t.name, step: t.step, key });
      const job: TaskJob = {
        node: nodeAddress(t, pipeline.name, entry),
        step: t.step,
        task: t.name,
        params: t.params,
        paramsCanonical: t.paramsCanonical,
        inputs: Object.fromEntries(
          Object.entries(t.inputs).map(([name, input]) => [
            name,
            {
              kind: tasks[input.tasks[0]!]?.node.output.kind ?? 'json',
              hashes: input.tasks.map((u) => (state[u] as { hash: string }).hash),
              gather: input.gather,
              cells: input.tasks.map((u) => tasks[u]!.cell),
            },
          ]),
        ),
        outputKind: kind,
        storeRoot: store.root,
        fsync,
        backends: prepared.backendChoices,
      };
      const startedTask = new Date().toISOString();
      try {
        const result = await executor.execute(job, {
          signal: stop.signal,
          onProgress: (fraction, message) => emit({ type: 'task-progress', task: t.name, fraction, ...(message ? { message } : {}) }),
          onWarning: (message) => emit({ type: 'warning', task: t.name, message }),
        }, t.node);
        // the next task may compute while this one's objects and record reach the disk
        freeSlot();
        await Promise.all(result.staged.map((s) => store.commitObject(s.hash, s.tmp)));
        const record: TaskRecord = {
          format: 'featureflow-task-record/1',
          key,
          task: t.name,
          pipeline: pipeline.name,
          step: t.step,
          nodeAddress: { ...job.node, moduleId: nodeModuleId(t.node) },
          components,
          params: t.params,
          inputCells: Object.fromEntries(Object.entries(job.inputs).filter(([, i]) => i.gather).map(([n, i]) => [n, i.cells])),
          output: { kind, hash: result.hash, bytes: result.bytes },
          timing: { startedAt: startedTask, durationMs: Math.round(result.durationMs * 1000) / 1000 },
          host: HOST,
          pid: process.pid,
          versions: VERSIONS,
        };
        await store.writeRecord(record);
        counts.computed++;
        recordTasks[t.id] = { ...base, status: 'computed', output: { kind, hash: result.hash } };
        emit({ type: 'task-done', task: t.name, step: t.step, key, output: result.hash, durationMs: result.durationMs });
        settle(t, { s: 'ok', hash: result.hash });
      } catch (err) {
        if (stop.signal.aborted && cancelled.aborted) {
          settle(t, { s: 'skipped', failed: 'cancelled' });
          return;
        }
        counts.failed++;
        recordTasks[t.id] = { ...base, status: 'failed' };
        emit({ type: 'task-failed', task: t.name, step: t.step, error: err instanceof Error ? err.message : String(err) });
        settle(t, { s: 'failed' });
        if (options.failFast) stop.abort(new Error(`fail-fast: ${t.name} failed`));
      }
    } finally {
      await lock?.release();
      freeSlot();
    }
  };

  try {
    if (tasks.length === 0) allSettled();
    for (const t of tasks) if (waitingOn[t.id] === 0) schedule(t);
    await Promise.race([finished, new Promise<void>((r) => stop.signal.addEventListener('abort', () => r(), { once: true }))]);
    while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
  } finally {
    await store.flush();
    cancelled.removeEventListener('abort', onCancel);
    if (ownsExecutor) await executor.close();
    if (cancelled.aborted) await removeOwnTempFiles(store);
    const status = cancelled.aborted ? 'cancelled' : counts.failed > 0 ? 'failed' : 'completed';
    await writeRunRecord(store, {
      format: 'featureflow-run/1',
      pipeline: pipeline.name,
      module: pipeline.module,
      ...(entry ? { entry } : {}),
      startedAt,
      finishedAt: new Date().toISOString(),
      status,
      backends: prepared.backends as Record<string, string>,
      fingerprints: Object.fromEntries(prepared.fingerprints),
      tasks: recordTasks,
    }).catch(() => undefined);
  }
  const outputs: Record<string, Record<string, string>> = {};
  for (const [name, ids] of prepared.expanded.outputs) {
    outputs[name] = {};
    for (const id of ids) {
      const s = state[id]!;
      if (s.s === 'ok') outputs[name]![tasks[id]!.name] = s.hash;
    }
  }
  emit({
    type: 'summary',
    pipeline: pipeline.name,
    ...counts,
    cancelled: cancelled.aborted,
    durationMs: performance.now() - started,
    outputs,
  });
}

/** Nodes defined more than once in this process: what a factory's closure holds is not in their key. */
function factoryWarnings(tasks: readonly TaskSpec[]): string[] {
  return [...new Set(tasks.map((t) => t.node.name))].flatMap((name) => {
    const n = registeredNode(name)?.definitions ?? 1;
    return n > 1
      ? [`node ${name} is defined ${n} times in this process (a factory?): values its definition captures from the factory's arguments are not part of its task key, so pass them as params`]
      : [];
  });
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

/** Temp files of this process (main thread and its workers share the pid). */
async function removeOwnTempFiles(store: Store): Promise<void> {
  const dir = join(store.root, 'tmp');
  for (const f of await readdir(dir).catch(() => [] as string[])) {
    if (f.startsWith(`${process.pid}-`)) await unlink(join(dir, f)).catch(() => undefined);
  }
}

export type { PreparedRun };
