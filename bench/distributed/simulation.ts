/**
 * Past this machine, by simulation: the coordinator's distributed executor (queue-executor.ts,
 * the code `--executor redis` runs) driving many tasks over many simulated workers through an
 * in-memory TaskQueue, fed as the run feeds it (a window of `inFlight` tasks). Measures dispatch
 * rate, coordinator memory and queue calls per task. `storeCallsPerTask` counts, on a real run of
 * a small grid through the remote-task path, the store calls one task costs (coordinator + worker).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { lastValueFrom, toArray } from 'rxjs';
import type { Executor, TaskHooks, TaskJob } from '../../engine/executors/job.ts';
import { queueExecutor } from '../../engine/executors/redis/queue-executor.ts';
import { runRemoteTask } from '../../engine/executors/remote-task.ts';
import { run } from '../../engine/run.ts';
import { Semaphore } from '../../engine/run/semaphore.ts';
import { Store } from '../../engine/store/store.ts';
import { MemoryQueue, MemoryRecords } from './memory-queue.ts';

export interface SimulationOptions {
  readonly tasks: number;
  readonly workers: number;
  readonly meanTaskMs: number;
  /** tasks the coordinator keeps queued or running (default: twice the workers) */
  readonly inFlight?: number;
  readonly log?: (line: string) => void;
}

export interface SimulationResult {
  readonly wall_s: number;
  /** the same tasks through the in-memory queue alone, no coordinator: the simulator's own ceiling */
  readonly rawWall_s: number;
  /** CPU seconds per task the coordinator adds (the simulation's CPU less the raw queue's) */
  readonly coordinatorCpuPerTask_s: number;
  readonly idealRate: number;
  readonly inFlight: number;
  /** the largest live heap (after a full GC) sampled each second */
  readonly peakHeapMb: number;
  readonly peakRssMb: number;
  readonly queueCallsPerTask: number;
  readonly missedEvents: number;
}

const TEMPLATE = {
  node: { name: 'sim/cell', module: 'file:///sim.ts' },
  step: 'cell',
  params: {},
  paramsCanonical: '{}',
  inputs: {},
  outputKind: 'json',
  storeRoot: 'memory',
  fsync: false,
  backends: {},
} as const;

function jobOf(i: number): TaskJob {
  const key = `k${i.toString(36)}`;
  return {
    ...TEMPLATE,
    task: `cell[i=${i}]`,
    record: { format: 'featureflow-task-record/1', key, task: `cell[i=${i}]`, pipeline: 'sim', step: 'cell', components: {} as never, params: {}, inputCells: {}, output: { kind: 'json' } },
  };
}

/** A full GC before each memory sample, so the figure is live memory, not garbage not yet collected. */
setFlagsFromString('--expose_gc');
const fullGc = runInNewContext('gc') as () => void;

/** Exponentially distributed task durations (many short, a few long), mean `mean` ms. */
const exponential = (mean: number) => () => -Math.log(1 - Math.random()) * mean;

/** The queue and its simulated workers alone, every task enqueued at once: wall and CPU seconds. */
async function rawQueue(o: SimulationOptions): Promise<{ wall_s: number; cpu_s: number }> {
  const queue = new MemoryQueue({ workers: o.workers, duration: exponential(o.meanTaskMs), dropEvents: 0, records: new MemoryRecords(o.tasks, {} as never) });
  let done = 0;
  let allDone!: () => void;
  const finished = new Promise<void>((r) => (allDone = r));
  queue.onEvent((e) => {
    if (e.type === 'completed' && ++done === o.tasks) allDone();
  });
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const retry = { attempts: 1, backoffMs: 0 };
  for (let i = 0; i < o.tasks; i++) void queue.enqueue(`k${i.toString(36)}`, jobOf(i), retry);
  await finished;
  const cpu = process.cpuUsage(cpu0);
  return { wall_s: (performance.now() - t0) / 1000, cpu_s: (cpu.user + cpu.system) / 1e6 };
}

export async function simulate(o: SimulationOptions): Promise<SimulationResult> {
  const inFlight = o.inFlight ?? 2 * o.workers;
  const records = new MemoryRecords(o.tasks, {
    ...jobOf(0).record!,
    output: { kind: 'json', hash: 'h', bytes: 8 },
    timing: { startedAt: '', durationMs: 0 },
    host: 'sim',
    pid: 0,
    versions: { node: '', featureflow: '' },
  });
  const queue = new MemoryQueue({ workers: o.workers, duration: exponential(o.meanTaskMs), dropEvents: 1e-4, records });
  const executor = queueExecutor(queue, { name: 'sim', store: records, inFlight, retry: { attempts: 3, backoffMs: 1000 }, startWorkerHint: '-' });
  const slots = new Semaphore(inFlight);
  const stop = new AbortController();
  const hooks: TaskHooks = { signal: stop.signal, onProgress() {}, onWarning() {} };
  let done = 0;
  let peakHeap = 0;
  let peakRss = 0;
  const sample = setInterval(() => {
    fullGc();
    const m = process.memoryUsage();
    peakHeap = Math.max(peakHeap, m.heapUsed);
    peakRss = Math.max(peakRss, m.rss);
    o.log?.(`simulation: ${done} / ${o.tasks} done`);
  }, 1_000);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let allDone!: () => void;
  const finished = new Promise<void>((r) => (allDone = r));
  const settle = () => {
    slots.release();
    if (++done === o.tasks) allDone();
  };
  for (let i = 0; i < o.tasks; i++) {
    await slots.acquire();
    executor.execute(jobOf(i), hooks).then(settle, settle);
  }
  await finished;
  const wall_s = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  clearInterval(sample);
  await executor.close();
  // after, so its garbage is not in the coordinator's peak memory
  const raw = await rawQueue(o);
  o.log?.(`simulation: with the coordinator ${wall_s.toFixed(1)} s, the queue alone ${raw.wall_s.toFixed(1)} s`);
  return {
    wall_s,
    rawWall_s: raw.wall_s,
    coordinatorCpuPerTask_s: ((cpu.user + cpu.system) / 1e6 - raw.cpu_s) / o.tasks,
    idealRate: (o.workers / o.meanTaskMs) * 1000,
    inFlight,
    peakHeapMb: peakHeap / 2 ** 20,
    peakRssMb: peakRss / 2 ** 20,
    queueCallsPerTask: queue.calls / o.tasks,
    missedEvents: queue.dropped,
  };
}

const COUNTED = ['readRecord', 'checkedObject', 'objectState', 'getObject', 'stageObject', 'commitObject', 'writeRecord', 'deleteRecord', 'tryLock', 'flush'] as const;

/** Store calls per task on a real run of `cells` grid cells through the remote-task path (in this process). */
export async function storeCallsPerTask(cells = 100): Promise<{ total: number; byMethod: Record<string, number> }> {
  const counts: Record<string, number> = {};
  const proto = Store.prototype as unknown as Record<string, (...a: unknown[]) => unknown>;
  const originals = new Map(COUNTED.map((m) => [m, proto[m]!]));
  const count = (m: string) => (counts[m] = (counts[m] ?? 0) + 1);
  for (const [m, f] of originals) {
    proto[m] = function (this: unknown, ...args: unknown[]) {
      count(m);
      const r = f.apply(this, args);
      // a lock's release is a store call too (claim, re-read, unlink)
      if (m === 'tryLock') return (r as Promise<{ held?: { release(): Promise<void> } }>).then((a) => (a.held ? { held: { ...a.held, release: () => (count('lock release'), a.held!.release()) } } : a));
      return r;
    };
  }
  try {
    const store = await Store.open(mkdtempSync(join(tmpdir(), 'ffbench-calls-')), { durability: 'batch' });
    const remote: Executor = { name: 'remote-here', concurrency: 2, remote: true, execute: (job, hooks) => runRemoteTask(job, hooks, { store }), close: async () => {} };
    const grid = join(resolve(dirname(fileURLToPath(import.meta.url)), '..'), 'pipelines', 'grid.ts');
    const b = Array.from({ length: cells / 5 }, (_, i) => i);
    for (const k of Object.keys(counts)) delete counts[k];
    await lastValueFrom(run(grid, { store, executor: remote, overrides: { a: [0, 1, 2, 3, 4], b } }).pipe(toArray()));
  } finally {
    for (const [m, f] of originals) proto[m] = f;
  }
  const byMethod = Object.fromEntries(Object.entries(counts).map(([m, n]) => [m, n / cells]));
  return { total: Object.values(byMethod).reduce((a, b) => a + b, 0), byMethod };
}
