/**
 * SLURM beside threads (issue 17, "Performance"): the engine bench's 500-cell grid (25 × 20 cells
 * of ~1 ms) run by `run()` in this process on a local one-node SLURM (.ci/slurm-localhost.sh,
 * started here if it is not running) and on the thread pool, each on a fresh store. Every SLURM
 * task is an array element that starts `featureflow exec` (Node, the loader, the node's module,
 * its fingerprint check), so the per-task overhead is a process start, not a message: SLURM is
 * for tasks of seconds to hours. Overhead per task = (wall − pure compute of the cells) / cells.
 *
 *   node --import tsx bench/slurm.ts            this bench alone
 *   BENCH_SLURM_CELLS=100 npm run bench -- slurm a smaller grid (a multiple of 25)
 */
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { lastValueFrom, toArray } from 'rxjs';
import type { RunEvent, SummaryEvent } from '../engine/events.ts';
import { run, type RunOptions } from '../engine/run.ts';
import { cellWork, DEFAULT_PASSES } from './pipelines/grid-nodes.ts';
import { GRID_A } from './pipelines/grid.ts';
import { benchRow, printTable, type BenchRow } from './table.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const pipeline = join(root, 'bench', 'pipelines', 'grid.ts');
const CELLS = Number(process.env.BENCH_SLURM_CELLS ?? 500);
const B = Math.max(1, Math.round(CELLS / GRID_A));
const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const overrides = { a: range(GRID_A), b: range(B) };
const tasks = GRID_A * B;
const log = (m: string) => process.stderr.write(`  slurm bench: ${m}\n`);

function pureCompute(): number {
  const t0 = performance.now();
  for (let i = 0; i < tasks; i++) cellWork(i % GRID_A, Math.floor(i / GRID_A), DEFAULT_PASSES);
  return (performance.now() - t0) / 1000;
}

async function timed(options: RunOptions): Promise<number> {
  const store = mkdtempSync(join(tmpdir(), 'ffbench-slurm-'));
  try {
    const t0 = performance.now();
    const events: RunEvent[] = await lastValueFrom(run(pipeline, { ...options, store, overrides }).pipe(toArray()));
    const wall = (performance.now() - t0) / 1000;
    const s = events.find((e): e is SummaryEvent => e.type === 'summary');
    if (!s || s.computed !== tasks || s.failed > 0) throw new Error(`expected ${tasks} computed, got ${JSON.stringify(s)}`);
    return wall;
  } finally {
    rmSync(store, { recursive: true, force: true });
  }
}

export default async function benchSlurm(): Promise<BenchRow[]> {
  const started = spawnSync('bash', [join(root, '.ci/slurm-localhost.sh'), 'start'], { encoding: 'utf8' });
  if (started.status !== 0) throw new Error(`no local SLURM: ${(started.stderr || started.stdout).trim()}`);
  const cores = availableParallelism();
  await timed({ executor: 'threads', overrides: { a: [0], b: [1] } } as RunOptions).catch(() => undefined); // warm-up: module loading
  pureCompute();
  const pure = pureCompute();
  log(`${tasks} cells on threads ×${cores}…`);
  const threads = await timed({ executor: 'threads', concurrency: cores });
  log(`${tasks} cells on SLURM (one node, ${cores} cores)…`);
  const slurm = await timed({ executor: 'slurm' });
  const overhead = (wall: number) => (wall - pure) / tasks;
  const note = `${tasks} cells, ${cores} cores; pure compute ${pure.toFixed(2)} s`;
  return [
    benchRow('slurm', `${tasks}-cell grid, cold: wall (vs threads ×${cores})`, slurm, `threads ×${cores}`, threads, `${(tasks / slurm).toFixed(1)} tasks/s vs ${(tasks / threads).toFixed(0)} tasks/s; ${note}`),
    benchRow('slurm', 'per-task overhead (wall − compute) / tasks', overhead(slurm), `threads ×${cores}`, overhead(threads), 'SLURM: one process start per task (featureflow exec), scheduling and squeue polling'),
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) printTable(await benchSlurm());
