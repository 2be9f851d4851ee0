/**
 * The distributed bench (issue 17, "Performance and scale"). Two parts:
 *
 * 1. The 500-cell engine grid (bench/pipelines/grid.ts, ~1 ms cells) on the thread pool and on
 *    the Redis pool with 1 and 2 local `featureflow worker`s (one task at a time each), side by
 *    side: tasks per second, per-task overhead (worker-time per task beyond the compute:
 *    (wall × parallel slots − pure compute) / tasks; goal for the Redis pool < 5 ms), and the
 *    coordinator's CPU per task. Each configuration gets a fresh store and a warm-up run on other
 *    cells first, so process start and module loading are not in the figures. Needs redis-server.
 * 2. The scale simulation (bench/distributed/simulation.ts): the coordinator driving 10^6 tasks
 *    over 1000 simulated workers through an in-memory TaskQueue.
 *
 *   node --import tsx bench/distributed.ts        this bench alone
 *   BENCH_SIM_TASKS=100000 …                       a smaller simulation (0: none)
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { lastValueFrom, toArray } from 'rxjs';
import type { RunEvent } from '../engine/events.ts';
import { run, type RunOptions } from '../engine/run.ts';
import { haveRedis, startRedis, startWorker, type TestWorker } from '../test/distributed/redis-helpers.ts';
import { cellWork, DEFAULT_PASSES } from './pipelines/grid-nodes.ts';
import { GRID_A, GRID_B } from './pipelines/grid.ts';
import { simulate, storeCallsPerTask } from './distributed/simulation.ts';
import { benchRow, printTable, type BenchRow } from './table.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const grid = join(root, 'bench', 'pipelines', 'grid.ts');
const TASKS = GRID_A * GRID_B;
const G = 'distributed';
const log = (msg: string) => process.stderr.write(`  distributed bench: ${msg}\n`);
const range = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i);

function pureCompute(cells: number): number {
  for (let i = 0; i < 50; i++) cellWork(i % GRID_A, i % GRID_B, DEFAULT_PASSES);
  let best = Infinity;
  for (let r = 0; r < 3; r++) {
    const t0 = performance.now();
    for (let i = 0; i < cells; i++) cellWork(Math.floor(i / GRID_B), i % GRID_B, DEFAULT_PASSES);
    best = Math.min(best, (performance.now() - t0) / 1000);
  }
  return best;
}

interface Measured {
  readonly wall_s: number;
  readonly cpu_s: number;
  /** commands Redis processed during the timed run (coordinator, workers, events) */
  readonly redisCommands?: number;
}

/** Redis's count of commands processed so far (INFO stats). */
function redisCommands(url: string): number {
  const out = spawnSync('redis-cli', ['-u', url, 'info', 'stats'], { encoding: 'utf8' }).stdout ?? '';
  return Number(/total_commands_processed:(\d+)/.exec(out)?.[1] ?? NaN);
}

async function timed(options: RunOptions): Promise<Measured> {
  // warm-up on other cells: worker processes start and import the node
  await lastValueFrom(run(grid, { ...options, overrides: { a: range(100, 1), b: range(0, 4) } }).pipe(toArray()));
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const events: RunEvent[] = await lastValueFrom(run(grid, options).pipe(toArray()));
  const wall_s = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const s = events.find((e) => e.type === 'summary');
  if (s?.type !== 'summary' || s.computed !== TASKS) throw new Error(`expected ${TASKS} computed, got ${JSON.stringify(s)}`);
  return { wall_s, cpu_s: (cpu.user + cpu.system) / 1e6 };
}

const fresh = (label: string) => mkdtempSync(join(tmpdir(), `ffbench-dist-${label}-`));

async function redisPool(url: string, workers: number): Promise<Measured> {
  const store = fresh(`redis${workers}`);
  const logs = fresh(`redis${workers}-logs`);
  const pool: TestWorker[] = range(0, workers).map((n) => startWorker({ url, store, jobs: 1, logFile: join(logs, `worker-${workers}-${n}.log`) }));
  try {
    await Promise.all(pool.map((w) => w.ready));
    const before = redisCommands(url);
    const m = await timed({ store, executor: 'redis', redis: url, fsync: false });
    return { ...m, redisCommands: redisCommands(url) - before };
  } finally {
    await Promise.all(pool.map((w) => w.stop()));
  }
}

async function gridRows(): Promise<BenchRow[]> {
  if (!haveRedis) return [benchRow(G, 'engine grid on the Redis pool', NaN, '-', null, 'skipped: redis-server is not installed')];
  const pure = pureCompute(TASKS);
  log(`pure compute of ${TASKS} cells: ${pure.toFixed(3)} s`);
  const threads1 = await timed({ store: fresh('t1'), executor: 'threads', concurrency: 1, fsync: false });
  const threads2 = await timed({ store: fresh('t2'), executor: 'threads', concurrency: 2, fsync: false });
  const redis = await startRedis();
  try {
    const r1 = await redisPool(redis.url, 1);
    const r2 = await redisPool(redis.url, 2);
    const overhead = (m: Measured, slots: number) => (m.wall_s * slots - pure) / TASKS;
    const rate = (m: Measured) => TASKS / m.wall_s;
    log(`threads ×1 ${threads1.wall_s.toFixed(2)} s, ×2 ${threads2.wall_s.toFixed(2)} s; redis 1 worker ${r1.wall_s.toFixed(2)} s, 2 workers ${r2.wall_s.toFixed(2)} s`);
    const goal = (s: number) => (s < 0.005 ? 'goal < 5 ms: met' : 'goal < 5 ms: NOT met');
    return [
      benchRow(G, `grid ${TASKS}: Redis pool, 1 worker (wall; ${rate(r1).toFixed(0)} tasks/s)`, r1.wall_s, 'threads ×1', threads1.wall_s),
      benchRow(G, `grid ${TASKS}: Redis pool, 2 workers (wall; ${rate(r2).toFixed(0)} tasks/s)`, r2.wall_s, 'threads ×2', threads2.wall_s),
      benchRow(G, 'per-task overhead: Redis pool, 1 worker', overhead(r1, 1), 'threads ×1', overhead(threads1, 1), goal(overhead(r1, 1))),
      benchRow(G, 'per-task overhead: Redis pool, 2 workers', overhead(r2, 2), 'threads ×2', overhead(threads2, 2), goal(overhead(r2, 2))),
      benchRow(G, 'coordinator CPU per task: Redis pool, 2 workers', r2.cpu_s / TASKS, '-', null, `one coordinator dispatches at most ~${Math.round(TASKS / r2.cpu_s)} tasks/s`),
      benchRow(G, 'Redis commands per task: Redis pool, 2 workers', NaN, '-', null, `${((r2.redisCommands ?? NaN) / TASKS).toFixed(1)} (coordinator, workers and events; 1 worker: ${((r1.redisCommands ?? NaN) / TASKS).toFixed(1)})`),
    ];
  } finally {
    redis.stop();
  }
}

export default async function benchDistributed(): Promise<BenchRow[]> {
  const rows = await gridRows();
  const note = (name: string, text: string) => benchRow(G, name, NaN, '-', null, text);
  const calls = await storeCallsPerTask();
  log(`store calls per task (coordinator + worker): ${JSON.stringify(calls.byMethod)}`);
  rows.push(note('store calls per task (coordinator + worker)', `${calls.total.toFixed(1)}: ${Object.entries(calls.byMethod).map(([m, n]) => `${m} ${n.toFixed(2)}`).join(', ')}`));
  const tasks = Number(process.env.BENCH_SIM_TASKS ?? 1_000_000);
  if (tasks === 0) return rows; // BENCH_SIM_TASKS=0: no simulation
  const sim = await simulate({ tasks, workers: 1000, meanTaskMs: 20, log });
  rows.push(
    benchRow(G, `simulation: ${tasks} tasks over 1000 workers (wall)`, sim.wall_s, 'the queue alone', sim.rawWall_s, `${Math.round(tasks / sim.wall_s)} tasks/s; workers alone could take ${Math.round(sim.idealRate)}/s`),
    benchRow(G, 'simulation: coordinator CPU per task', sim.coordinatorCpuPerTask_s, '-', null, `one coordinator core: ~${Math.round(1 / sim.coordinatorCpuPerTask_s)} tasks/s (queue path only)`),
    note('simulation: coordinator memory', `live heap at most ${sim.peakHeapMb.toFixed(0)} MB (sampled after a full GC each second), RSS ${sim.peakRssMb.toFixed(0)} MB, with ${sim.inFlight} tasks in flight`),
    note('simulation: queue calls per task', `${sim.queueCallsPerTask.toFixed(2)} (enqueue + state checks for missed events; ${sim.missedEvents} completions dropped on purpose)`),
  );
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) printTable(await benchDistributed());
