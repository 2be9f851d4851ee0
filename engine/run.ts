/**
 * `run(pipeline, options)`: the whole sweep as an Observable of RunEvents. Tasks start as soon
 * as their inputs exist; a task whose key is in the store (record + verified object) is cached;
 * everything else is computed by the executor under a per-key lock, its object stored, its
 * record written last (run/task.ts). Keys use the inputs' content hashes, so an upstream
 * recomputed to the same bytes leaves its downstream cached (early cutoff). Every planned task
 * ends with exactly one terminal event (run/accounting.ts) and the run with a summary.
 * Unsubscribing cancels.
 */
import { fingerprintCacheOf } from './fingerprint-cache.ts';
import { readdir, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { gitCommitOf } from './git-commit.ts';
import { packageVersion } from './project.ts';
import { join } from 'node:path';
// rxjs's own module for the class, not its index: the index loads all ~300 operator files (50 ms of
// every start), and the class is the same object either way
import { Observable } from 'rxjs/internal/Observable';
import type { RunEvent } from './events.ts';
import type { TaskSpec } from './expand.ts';
import type { Executor } from './executors/job.ts';
import type { ExecutorKind } from './executors/kinds.ts';
import { mergeSlurmSettings, type SlurmSettings } from './executors/slurm/settings.ts';
import { importPipeline, resolvePipeline } from './load.ts';
import type { Pipeline } from './pipeline.ts';
import { prepareRun, type PreparedRun } from './prepare.ts';
import { mainScriptEntry } from './registry/entry.ts';
import { registeredNode } from './registry/registry.ts';
import { inWorkerMode, noteInertRun } from './registry/worker-mode.ts';
import { writeRunRecord } from './run-record.ts';
import { RunAccounting } from './run/accounting.ts';
import { Semaphore } from './run/semaphore.ts';
import { handleTask, reasonOf, type TaskRunContext } from './run/task.ts';
import { Store, type Durability } from './store/store.ts';
import { PipelineError } from './errors.ts';

export interface RunOptions {
  /** store directory (default `artifacts`) or an open Store */
  readonly store?: string | Store;
  /** `step.param` (or axis name) → value or list */
  readonly overrides?: ReadonlyMap<string, unknown> | Readonly<Record<string, unknown>>;
  readonly profile?: string;
  /**
   * 'processes' (default: one worker process per core; a task that crashes fails alone),
   * 'threads' (worker threads: a crash in native code ends the whole run), 'in-process', 'slurm'
   * (sbatch job arrays; see `slurm`), or an executor instance (not closed by the run)
   */
  readonly executor?: ExecutorKind | Executor;
  /** for executor 'slurm': sbatch resources and polling (over the profile's `slurm`, key by key) */
  readonly slurm?: SlurmSettings;
  /** workers for 'processes' and 'threads' (default: one per core); for 'redis', tasks kept queued or running (default 256) */
  readonly concurrency?: number;
  /** with executor 'redis': the Redis URL the pool's workers (`featureflow worker`) listen on */
  readonly redis?: string;
  /** stop scheduling new tasks after the first failure */
  readonly failFast?: boolean;
  /**
   * URL of the module whose evaluation builds the pipeline; workers import it to find nodes that
   * a factory makes. Default: the pipeline file when `pipeline` is a path or name, else the
   * script Node started.
   */
  readonly entry?: string;
  /** recompute the tasks of these steps even when cached (`'all'`: every task); downstream follows early cutoff */
  readonly force?: readonly string[] | 'all';
  /** run only these steps and what they need */
  readonly until?: readonly string[];
  /** `--backend` preference list, e.g. ['native'] */
  readonly backend?: readonly string[];
  /** when writes reach the disk: 'batch' (default), 'each' or 'none' (see Store) */
  readonly durability?: Durability;
  /** @deprecated false = durability 'none' */
  readonly fsync?: boolean;
}

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
  // the module a worker imports when a node's own module does not register it (a factory-made
  // node): the script that called run(), else the pipeline's own file (what the CLI loaded)
  const entry = options.entry ?? pipelineUrl ?? mainScriptEntry() ?? pipeline.module;
  const durability: Durability = options.durability ?? (options.fsync === false ? 'none' : 'batch');
  const store = options.store instanceof Store ? options.store : await Store.open(options.store ?? 'artifacts', { durability });
  const prepared = await prepareRun(pipeline, { overrides: toMap(options.overrides), profile: options.profile, backend: options.backend, ...(options.until ? { until: options.until } : {}), fingerprintCache: fingerprintCacheOf(store) });
  const unknownForced = Array.isArray(options.force) ? options.force.filter((s) => !prepared.expanded.pipeline.steps.has(s)) : [];
  if (unknownForced.length > 0) throw new PipelineError(unknownForced.map((s) => `--force ${s}: pipeline ${pipeline.name} has no step "${s}" (steps: ${[...pipeline.steps.keys()].join(', ')})`));
  const tasks = prepared.expanded.tasks;

  const ownsExecutor = typeof options.executor !== 'object';
  const executor: Executor = typeof options.executor === 'object' ? options.executor : await makeExecutor(options.executor ?? 'processes', options, store, () =>
    mergeSlurmSettings(options.profile ? pipeline.profiles[options.profile]?.slurm : undefined, options.slurm),
  );

  const steps: Record<string, number> = {};
  for (const t of tasks) steps[t.step] = (steps[t.step] ?? 0) + 1;
  emit({ type: 'plan', pipeline: pipeline.name, store: store.root, tasks: tasks.length, steps, executor: executor.name, concurrency: executor.concurrency });
  for (const note of prepared.notes) emit({ type: 'info', message: note });
  for (const message of factoryWarnings(tasks)) emit({ type: 'warning', message });

  const stop = new AbortController();
  const onCancel = () => stop.abort(cancelled.reason ?? new Error('cancelled'));
  if (cancelled.aborted) onCancel();
  else cancelled.addEventListener('abort', onCancel, { once: true });
  const slots = executor.inFlight ?? executor.concurrency;
  // enough tasks in hand to keep every slot fed while others check the cache or wait on a lock
  const scheduler = new Scheduler(tasks, Math.max(256, 8 * slots));
  const accounting = new RunAccounting(tasks, emit, (t) => scheduler.settled(t));
  const context: TaskRunContext = {
    pipeline: pipeline.name,
    expanded: prepared.expanded,
    prepared,
    store,
    executor,
    slots: new Semaphore(slots),
    accounting,
    entry,
    plannedAt: startedAt,
    fsync: store.durability === 'each',
    stop: stop.signal,
    ...(await recordListing(store, tasks.length)),
    forced: (t) => options.force === 'all' || (options.force?.includes(t.step) ?? false),
    emit,
    onFailure: (t) => {
      if (options.failFast && !stop.signal.aborted) stop.abort(new Error(`fail-fast: ${t.name} failed`));
    },
  };

  // announce the run before any task can commit: gc --delete refuses while it runs (and a run waits for a gc)
  // asked now, awaited for the run record: git runs beside the tasks (started here, after the
  // checks that can refuse the run, so a refused run does not wait for git to exit)
  const commit = gitCommitOf(pipeline.module);
  const marker = await store.beginRun({
    signal: cancelled,
    onWait: (h) => emit({ type: 'info', message: `waiting: gc --delete holds store ${store.root} (${h.host} pid ${h.pid}, since ${h.since})` }),
  });
  let runError: unknown;
  try {
    await scheduler.runAll((t) => handleTask(t, context), stop.signal);
  } catch (err) {
    runError = err;
  } finally {
    accounting.cancelRest(stop.signal.aborted ? reasonOf(stop.signal) : 'the run stopped');
    runError ??= await store.flush().then(
      () => undefined,
      (err: unknown) => err,
    );
    cancelled.removeEventListener('abort', onCancel);
    if (ownsExecutor) await executor.close().catch(() => undefined);
    if (cancelled.aborted) await removeOwnTempFiles(store);
    const status = cancelled.aborted ? 'cancelled' : accounting.counts.failed > 0 || runError ? 'failed' : 'completed';
    const gitCommit = await commit;
    await writeRunRecord(store, {
      format: 'featureflow-run/1',
      pipeline: pipeline.name,
      module: pipeline.module,
      ...(entry ? { entry } : {}),
      startedAt,
      finishedAt: new Date().toISOString(),
      status,
      ...(runError ? { error: messageOf(runError) } : {}),
      request: {
        ...(options.profile ? { profile: options.profile } : {}),
        overrides: Object.fromEntries(toMap(options.overrides)),
        executor: executor.name,
        concurrency: executor.concurrency,
        ...(options.force ? { force: options.force } : {}),
        ...(options.until ? { until: options.until } : {}),
      },
      wallMs: Math.round(performance.now() - started),
      host: hostname(),
      versions: { node: process.version, featureflow: packageVersion() },
      ...(gitCommit ? { gitCommit } : {}),
      backends: prepared.backends as Record<string, string>,
      fingerprints: Object.fromEntries(prepared.fingerprints),
      tasks: accounting.records,
    }).catch((err: unknown) => emit({ type: 'warning', message: `the run record could not be written: ${messageOf(err)}` }));
    // only now, with the run record (gc's root) written, may gc delete
    await marker.end().catch(() => undefined);
  }
  emit({
    type: 'summary',
    pipeline: pipeline.name,
    ...accounting.counts,
    cancelled: cancelled.aborted,
    ...(runError ? { error: messageOf(runError) } : {}),
    durationMs: performance.now() - started,
    outputs: outputHashes(prepared, accounting),
  });
}

export { EXECUTOR_KINDS, type ExecutorKind } from './executors/kinds.ts';

/** Each executor's module loads only when a run uses it: a run never loads Piscina, BullMQ or SLURM code it does not need. */
async function makeExecutor(kind: ExecutorKind, options: RunOptions, store: Store, slurm: () => SlurmSettings): Promise<Executor> {
  const concurrency = options.concurrency;
  switch (kind) {
    case 'slurm':
      return (await import('./executors/slurm/executor.ts')).slurmExecutor(slurm());
    case 'in-process':
      return (await import('./executors/in-process.ts')).inProcessExecutor(concurrency ?? 1);
    case 'threads':
      return (await import('./executors/thread-pool.ts')).threadPoolExecutor(concurrency);
    case 'processes':
      return (await import('./executors/process-pool.ts')).processPoolExecutor(concurrency);
    case 'redis': {
      if (!options.redis) throw new PipelineError([`executor 'redis' needs the Redis URL its workers listen on: run(p, { executor: 'redis', redis: 'redis://host:6379' })`]);
      const { redisExecutor } = await import('./executors/redis/redis-executor.ts');
      return redisExecutor({ url: options.redis, store, ...(concurrency ? { inFlight: concurrency } : {}) });
    }
  }
}

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * Starts each task once its upstream tasks have ended; resolves when all have ended or the run
 * stops. At most `window` tasks are in `handle` at once (a cache check, a wait for a slot, a
 * computation): a run of a million ready tasks gets under way with a bounded number of promises,
 * in the plan's order, instead of starting every one of them before the first can finish.
 */
class Scheduler {
  /** the tasks that wait on task i: dependents[offsets[i] .. offsets[i+1]) (compressed rows) */
  private readonly offsets: Int32Array;
  private readonly dependents: Int32Array;
  private readonly waitingOn: Int32Array;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly ready: number[] = [];
  private readyHead = 0;
  private unresolved: number;
  private allSettled!: () => void;
  private readonly finished = new Promise<void>((r) => (this.allSettled = r));
  private handle!: (t: TaskSpec) => Promise<void>;

  constructor(
    private readonly tasks: readonly TaskSpec[],
    private readonly window: number,
  ) {
    const n = tasks.length;
    this.unresolved = n;
    this.waitingOn = new Int32Array(n);
    const ups = (t: TaskSpec) => {
      const inputs = Object.values(t.inputs);
      return inputs.length === 0 ? [] : [...new Set(inputs.flatMap((i) => i.tasks))];
    };
    const counts = new Int32Array(n + 1);
    for (const t of tasks) {
      const u = ups(t);
      this.waitingOn[t.id] = u.length;
      for (const id of u) counts[id + 1]!++;
    }
    for (let i = 0; i < n; i++) counts[i + 1]! += counts[i]!;
    this.offsets = counts;
    this.dependents = new Int32Array(counts[n]!);
    const fill = counts.slice(0, n);
    for (const t of tasks) for (const id of ups(t)) this.dependents[fill[id]!++] = t.id;
  }

  settled(t: TaskSpec): void {
    this.unresolved--;
    for (let i = this.offsets[t.id]!; i < this.offsets[t.id + 1]!; i++) {
      const d = this.dependents[i]!;
      if (--this.waitingOn[d]! === 0) this.ready.push(d);
    }
    if (this.unresolved === 0) this.allSettled();
  }

  /** Start ready tasks while the window has room. */
  private pump(): void {
    while (this.inFlight.size < this.window && this.readyHead < this.ready.length) {
      const t = this.tasks[this.ready[this.readyHead++]!]!;
      const p = this.handle(t).finally(() => {
        this.inFlight.delete(p);
        this.pump();
      });
      this.inFlight.add(p);
    }
    if (this.readyHead > 4096 && this.readyHead * 2 > this.ready.length) {
      this.ready.splice(0, this.readyHead); // drop the consumed head now and then, in O(n) total
      this.readyHead = 0;
    }
  }

  async runAll(handle: (t: TaskSpec) => Promise<void>, stop: AbortSignal): Promise<void> {
    this.handle = handle;
    if (this.tasks.length === 0) this.allSettled();
    for (const t of this.tasks) if (this.waitingOn[t.id] === 0) this.ready.push(t.id);
    this.pump();
    await Promise.race([this.finished, new Promise<void>((r) => stop.addEventListener('abort', () => r(), { once: true }))]);
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }
}

function outputHashes(prepared: PreparedRun, accounting: RunAccounting): Record<string, Record<string, string>> {
  const outputs: Record<string, Record<string, string>> = {};
  for (const [name, ids] of prepared.expanded.outputs) {
    outputs[name] = {};
    for (const id of ids) {
      const o = accounting.outcome(id);
      if (o?.s === 'ok') outputs[name]![prepared.expanded.tasks[id]!.name] = o.hash;
    }
  }
  return outputs;
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

/** Above this many tasks a run lists the store's records once rather than reading one per new task. */
const LIST_RECORDS_FROM = 2000;

async function recordListing(store: Store, taskCount: number): Promise<Pick<TaskRunContext, 'recordAbsent'>> {
  if (taskCount < LIST_RECORDS_FROM) return {};
  const recorded = new Set<string>();
  for await (const key of store.allRecordKeys()) recorded.add(key);
  return { recordAbsent: (key) => !recorded.has(key) };
}

/** Temp files of this process (main thread and its workers share the pid). */
async function removeOwnTempFiles(store: Store): Promise<void> {
  const dir = join(store.root, 'tmp');
  for (const f of await readdir(dir).catch(() => [] as string[])) {
    if (f.startsWith(`${process.pid}-`)) await unlink(join(dir, f)).catch(() => undefined);
  }
}

export type { PreparedRun };
