/**
 * The engine benchmark (issue 3, "Performance"): a 25 × 20 grid of ~1 ms cells with 1000
 * float64 values each; then an all-cached rerun; then 550 cells (50 new); then a plan of a
 * 10,000-cell sweep. The same workload runs through joblib.Memory and Snakemake in the same
 * bench (a missing peer is reported and skipped).
 *
 * Whole-process figures spawn what a user would run (`featureflow run`, `python3 script.py`,
 * `snakemake`) and time it to exit; in-process figures time the engine's `run()` inside this
 * process (after a warm-up, so module loading is not in them) and joblib inside Python (after
 * its imports). Every measurement gets a fresh temporary store. Overhead per task is
 * (wall time − the same cells' pure compute time in that language) / tasks.
 *
 *   node --import tsx bench/engine.ts           this bench alone
 *   BENCH_REPEATS=3 npm run bench -- engine     three interleaved rounds, best round per figure
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { lastValueFrom, toArray } from 'rxjs';
import type { RunEvent } from '../engine/events.ts';
import { importPipeline } from '../engine/load.ts';
import { planPipeline } from '../engine/plan.ts';
import { run, type RunOptions } from '../engine/run.ts';
import { Store } from '../engine/store/store.ts';
import { cellWork, DEFAULT_PASSES } from './pipelines/grid-nodes.ts';
import { GRID_A, GRID_B } from './pipelines/grid.ts';
import { benchRow, formatSeconds, printTable, type BenchRow } from './table.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const pipelinePath = join(root, 'bench', 'pipelines', 'grid.ts');
const cli = join(root, 'bin', 'featureflow.mjs');
const python = '/usr/bin/python3';
const joblibScript = join(root, 'bench', 'peers', 'engine_joblib.py');
const snakefile = join(root, 'bench', 'peers', 'engine_snakemake', 'Snakefile');
const timeBin = '/usr/bin/time';

const COLD = GRID_A * GRID_B; // 500
const WIDE_B = GRID_B + 2; // 25 × 22 = 550: 50 new cells
const NEW_CELLS = GRID_A * WIDE_B - COLD;
const PLAN_SIDE = 100; // 100 × 100 = 10,000 tasks
const SNAKEMAKE_PLAN_TIMEOUT_S = 300;
/** in-process tasks in flight at once in the extra row that lets one task's store writes overlap the next one's compute */
const OVERLAP = 32;

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const log = (msg: string) => process.stderr.write(`  engine bench: ${msg}\n`);

interface Timed {
  readonly wall_s: number;
  readonly stdout: string;
  readonly peakRssKb: number | null;
  readonly ok: boolean;
  readonly detail: string;
}

/** Run a command to exit, timing it from spawn; peak RSS comes from GNU time when present. */
function timeProcess(cmd: string, args: readonly string[], options: { cwd?: string; timeoutS?: number; env?: Record<string, string> } = {}): Promise<Timed> {
  const useTime = existsSync(timeBin);
  const [file, argv] = useTime ? [timeBin, ['-f', 'FFBENCH_PEAK_RSS_KB=%M', cmd, ...args]] : [cmd, [...args]];
  return new Promise((resolvePromise) => {
    const t0 = performance.now();
    const child = spawn(file, argv, { cwd: options.cwd ?? root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0', ...options.env } });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    let timedOut = false;
    const timer = options.timeoutS ? setTimeout(() => ((timedOut = true), child.kill('SIGKILL')), options.timeoutS * 1000) : undefined;
    child.on('close', (code) => {
      const wall_s = (performance.now() - t0) / 1000;
      if (timer) clearTimeout(timer);
      const stderr = Buffer.concat(err).toString('utf8');
      const rss = /FFBENCH_PEAK_RSS_KB=(\d+)/.exec(stderr);
      const cleanErr = stderr.replace(/.*FFBENCH_PEAK_RSS_KB=\d+\s*/s, '').trim();
      const detail = timedOut ? `timed out after ${options.timeoutS} s` : code === 0 ? '' : `exit ${code}: ${(cleanErr || stderr).split('\n').slice(-3).join(' | ')}`;
      resolvePromise({ wall_s, stdout: Buffer.concat(out).toString('utf8'), peakRssKb: rss ? Number(rss[1]) : null, ok: code === 0 && !timedOut, detail });
    });
  });
}

function tempDir(label: string): string {
  return mkdtempSync(join(tmpdir(), `ffbench-${label}-`));
}

// ---------------------------------------------------------------- pure compute

/** Seconds for `cells` cells of the node's work, without any engine (best of three, after a warm-up). */
function pureComputeJs(cells: number): number {
  const out = new Float64Array(1000);
  for (let i = 0; i < 50; i++) cellWork(i % GRID_A, i % GRID_B, DEFAULT_PASSES, out);
  let bestS = Infinity;
  for (let r = 0; r < 3; r++) {
    const t0 = performance.now();
    for (let i = 0; i < cells; i++) cellWork(Math.floor(i / GRID_B), i % GRID_B, DEFAULT_PASSES);
    bestS = Math.min(bestS, (performance.now() - t0) / 1000);
  }
  return bestS;
}

// ---------------------------------------------------------------- ours

interface OursTriple {
  readonly cold: Timed;
  readonly cached: Timed;
  readonly wide: Timed;
}

interface Summary {
  readonly computed: number;
  readonly cached: number;
  readonly failed: number;
}

function summaryOf(ndjson: string): Summary | undefined {
  const lines = ndjson.trim().split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    try {
      const e = JSON.parse(lines[i]!) as { type?: string } & Summary;
      if (e.type === 'summary') return e;
    } catch {
      // a non-JSON line: keep looking
    }
  }
  return undefined;
}

function checkCounts(what: string, t: Timed, computed: number, cached: number): Timed {
  if (!t.ok) return t;
  const s = summaryOf(t.stdout);
  if (!s) return { ...t, ok: false, detail: `${what}: no summary event` };
  if (s.computed !== computed || s.cached !== cached || s.failed !== 0) {
    return { ...t, ok: false, detail: `${what}: expected ${computed} computed / ${cached} cached, got ${s.computed} / ${s.cached} (${s.failed} failed)` };
  }
  return t;
}

const wideSet = `b=${JSON.stringify(range(WIDE_B))}`;

/** How the whole-process rows start featureflow: this checkout's bin, or an installed package's. */
interface Launcher {
  readonly cli: string;
  readonly pipeline: string;
  readonly cwd: string;
  readonly env: Record<string, string>;
}

const checkoutLauncher: Launcher = { cli, pipeline: pipelinePath, cwd: root, env: {} };

/**
 * A researcher's project as `npm install featureflow` lays it out: package.json with "type":
 * "module", the grid's two files importing 'featureflow/core', and node_modules/featureflow. The
 * package is this checkout behind a symlink, running its compiled dist/ (built here first), which
 * is the code path an installed package takes: JavaScript for the engine, the TypeScript hooks
 * for the user's files only. Undefined (with the reason logged) when the build fails.
 */
function installedProject(): { launcher: Launcher; dispose(): void } | undefined {
  const built = spawnSync(process.execPath, [join(root, 'scripts', 'build-dist.mjs')], { cwd: root, encoding: 'utf8' });
  if (built.status !== 0) {
    log(`npm run build failed, so the installed-package rows are left empty: ${(built.stderr || built.stdout).trim().split('\n').slice(-3).join(' | ')}`);
    return undefined;
  }
  const dir = tempDir('project');
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(root, join(dir, 'node_modules', 'featureflow'));
  symlinkSync(join(root, 'node_modules', 'zod'), join(dir, 'node_modules', 'zod'));
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: 'grid-project', private: true, type: 'module' }, null, 2)}\n`);
  const asUser = (file: string) => readFileSync(join(root, 'bench', 'pipelines', file), 'utf8').replace(/'\.\.\/\.\.\/engine\/[\w-]+\.ts'/g, "'featureflow/core'");
  writeFileSync(join(dir, 'grid-nodes.ts'), asUser('grid-nodes.ts'));
  writeFileSync(join(dir, 'grid.ts'), asUser('grid.ts'));
  const launcher = { cli: join(dir, 'node_modules', 'featureflow', 'bin', 'featureflow.mjs'), pipeline: join(dir, 'grid.ts'), cwd: dir, env: { FEATUREFLOW_DIST: '1' } };
  return { launcher, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/** cold 500 → all-cached 500 → 550 (50 new), as `featureflow run` processes on one fresh store. */
async function oursCli(executorArgs: readonly string[], launcher: Launcher = checkoutLauncher): Promise<OursTriple> {
  const store = tempDir('cli');
  const runArgs = (extra: readonly string[]) => [launcher.cli, 'run', launcher.pipeline, '--store', store, '--json', '--no-results', ...executorArgs, ...extra];
  const time = (extra: readonly string[]) => timeProcess(process.execPath, runArgs(extra), { cwd: launcher.cwd, env: launcher.env });
  try {
    const cold = checkCounts('cold', await time([]), COLD, 0);
    const cached = checkCounts('cached', await time([]), 0, COLD);
    const wide = checkCounts('550', await time(['--set', wideSet]), NEW_CELLS, COLD);
    return { cold, cached, wide };
  } finally {
    rmSync(store, { recursive: true, force: true });
  }
}

async function timedRun(options: RunOptions, expect: { computed: number; cached: number }): Promise<Timed> {
  const t0 = performance.now();
  const events = await lastValueFrom(run(pipelinePath, options).pipe(toArray()));
  const wall_s = (performance.now() - t0) / 1000;
  const s = events.at(-1) as Extract<RunEvent, { type: 'summary' }>;
  const ok = s.type === 'summary' && s.computed === expect.computed && s.cached === expect.cached && s.failed === 0;
  if (!ok) return { wall_s, stdout: '', peakRssKb: null, ok, detail: `expected ${expect.computed}/${expect.cached}, got ${s.computed}/${s.cached}` };
  // every cell must write its own object, or the store would be timed deduplicating
  const outputs = Object.values(s.outputs.cells ?? {});
  const distinct = new Set(outputs).size;
  if (distinct !== outputs.length) return { wall_s, stdout: '', peakRssKb: null, ok: false, detail: `only ${distinct} distinct outputs of ${outputs.length} cells` };
  return { wall_s, stdout: '', peakRssKb: null, ok, detail: '' };
}

/** The same three runs through `run()` in this process (fresh store; modules already loaded). */
async function oursInProcess(executor: 'in-process' | 'threads' | 'processes', concurrency?: number): Promise<OursTriple> {
  const dir = tempDir('inproc');
  const base = { store: dir, executor, ...(concurrency ? { concurrency } : {}) } as const;
  try {
    const cold = await timedRun(base, { computed: COLD, cached: 0 });
    const cached = await timedRun(base, { computed: 0, cached: COLD });
    const wide = await timedRun({ ...base, overrides: { b: range(WIDE_B) } }, { computed: NEW_CELLS, cached: COLD });
    return { cold, cached, wide };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const planOverrides = { a: range(PLAN_SIDE), b: range(PLAN_SIDE) };
/** grids of 10^4, 10^5 (316² ≈ 10^5) and 10^6 tasks */
const SCALE_SIDES = [100, 316, 1000] as const;

async function oursPlanCli(): Promise<Timed> {
  const store = tempDir('plan');
  try {
    const args = [cli, 'plan', pipelinePath, '--store', store, '--json', '--set', `a=${JSON.stringify(planOverrides.a)}`, '--set', `b=${JSON.stringify(planOverrides.b)}`];
    const t = await timeProcess(process.execPath, args);
    const tasks = t.stdout.split('\n').filter((l) => l.includes('"plan-task"')).length;
    return tasks === PLAN_SIDE * PLAN_SIDE || !t.ok ? t : { ...t, ok: false, detail: `plan listed ${tasks} tasks, expected ${PLAN_SIDE * PLAN_SIDE}` };
  } finally {
    rmSync(store, { recursive: true, force: true });
  }
}

/** Scale: a whole-process plan of side × side tasks (text output, summarised per step), with its peak memory. */
async function oursPlanScale(side: number): Promise<Timed> {
  const store = tempDir('plan-scale');
  try {
    const axis = JSON.stringify(range(side));
    const t = await timeProcess(process.execPath, [cli, 'plan', pipelinePath, '--store', store, '--set', `a=${axis}`, '--set', `b=${axis}`], { timeoutS: 300 });
    const expected = `${side * side} tasks, 0 cached, ${side * side} to compute`;
    return !t.ok || t.stdout.includes(expected) ? t : { ...t, ok: false, detail: `plan did not report "${expected}"` };
  } finally {
    rmSync(store, { recursive: true, force: true });
  }
}

/**
 * Scale: a whole-process run of side × side tasks until its first task is done ("under way"):
 * seconds from spawn and peak RSS up to then (sampled from /proc every 20 ms), then the run is killed.
 */
function oursRunUnderWay(side: number): Promise<Timed> {
  const store = tempDir('run-scale');
  const axis = JSON.stringify(range(side));
  const args = [cli, 'run', pipelinePath, '--store', store, '--json', '--no-results', '--executor', 'in-process', '--set', `a=${axis}`, '--set', `b=${axis}`];
  return new Promise((resolvePromise) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let peakKb = 0, pending = '', settled = false;
    const sample = () => {
      const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      if (m) peakKb = Math.max(peakKb, Number(m[1]));
    };
    const sampler = setInterval(() => { try { sample(); } catch { /* gone */ } }, 20);
    const finish = (t: Omit<Timed, 'stdout' | 'peakRssKb'>) => {
      if (settled) return;
      settled = true;
      clearInterval(sampler);
      child.kill('SIGKILL');
      rmSync(store, { recursive: true, force: true });
      resolvePromise({ ...t, stdout: '', peakRssKb: peakKb || null });
    };
    const timer = setTimeout(() => finish({ wall_s: Number.NaN, ok: false, detail: 'no task done within 300 s' }), 300_000);
    child.stdout.on('data', (d: Buffer) => {
      pending += d.toString('utf8');
      if (!pending.includes('"task-done"')) {
        pending = pending.slice(pending.lastIndexOf('\n') + 1);
        return;
      }
      try { sample(); } catch { /* gone */ }
      clearTimeout(timer);
      finish({ wall_s: (performance.now() - t0) / 1000, ok: true, detail: '' });
    });
    child.on('close', (code) => finish({ wall_s: Number.NaN, ok: false, detail: `exited ${code} before a task was done` }));
  });
}

/** planPipeline in this process: expansion, validation, fingerprints, keys and a store lookup per task. */
async function oursPlanInProcess(): Promise<Timed & { heapMb: number }> {
  const dir = tempDir('plan-inproc');
  try {
    const pipeline = await importPipeline(pathToFileURL(pipelinePath).href);
    const store = await Store.open(dir);
    const heapBefore = process.memoryUsage().heapUsed;
    const t0 = performance.now();
    const { entries } = await planPipeline(pipeline, store, { overrides: new Map(Object.entries(planOverrides)) });
    const wall_s = (performance.now() - t0) / 1000;
    // heap still held right after the plan (the entries are live), before GC can take them
    const heapMb = Math.max(0, process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;
    const ok = entries.length === PLAN_SIDE * PLAN_SIDE;
    return { wall_s, stdout: '', peakRssKb: null, ok, detail: ok ? '' : `plan listed ${entries.length} tasks`, heapMb };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------- joblib

interface JoblibOut {
  readonly inproc_s: number;
  readonly computed: number;
  readonly joblib: string;
}

function joblibAvailable(): string | undefined {
  if (!existsSync(python)) return `${python} not found`;
  const r = spawnSync(python, ['-c', 'import joblib, numpy; print(joblib.__version__)'], { encoding: 'utf8' });
  return r.status === 0 ? undefined : `joblib/numpy not importable by ${python} (apt install python3-joblib python3-numpy)`;
}

async function joblib(args: readonly string[], expectComputed?: number): Promise<Timed & { py?: JoblibOut }> {
  const t = await timeProcess(python, [joblibScript, ...args]);
  if (!t.ok) return t;
  const py = JSON.parse(t.stdout.trim().split('\n').at(-1)!) as JoblibOut;
  if (expectComputed !== undefined && py.computed !== expectComputed) return { ...t, py, ok: false, detail: `joblib computed ${py.computed}, expected ${expectComputed}` };
  return { ...t, py };
}

async function joblibTriple() {
  const cache = tempDir('joblib');
  try {
    const cold = await joblib(['run', '--cache', cache], COLD);
    const cached = await joblib(['run', '--cache', cache], 0);
    const wide = await joblib(['run', '--cache', cache, '--b', String(WIDE_B)], NEW_CELLS);
    return { cold, cached, wide };
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
}

async function joblibPlan() {
  const cache = tempDir('joblib-plan');
  try {
    return await joblib(['plan', '--cache', cache, '--a', String(PLAN_SIDE), '--b', String(PLAN_SIDE)], PLAN_SIDE * PLAN_SIDE);
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------- snakemake

function snakemakeVersion(): string | undefined {
  const r = spawnSync('snakemake', ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

function snakemakeArgs(work: string, a: number, b: number, extra: readonly string[] = []): string[] {
  return ['-s', snakefile, '--directory', work, '--cores', '1', '--force-use-threads', '--quiet', '--config', `a=${a}`, `b=${b}`, ...extra];
}

async function snakemakeTriple() {
  const work = tempDir('snakemake');
  try {
    const cold = await timeProcess('snakemake', snakemakeArgs(work, GRID_A, GRID_B));
    const cached = await timeProcess('snakemake', snakemakeArgs(work, GRID_A, GRID_B));
    const wide = await timeProcess('snakemake', snakemakeArgs(work, GRID_A, WIDE_B));
    return { cold, cached, wide };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

async function snakemakePlan(): Promise<Timed> {
  const work = tempDir('snakemake-plan');
  try {
    return await timeProcess('snakemake', snakemakeArgs(work, PLAN_SIDE, PLAN_SIDE, ['-n']), { timeoutS: SNAKEMAKE_PLAN_TIMEOUT_S });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------- rows

const G = 'engine';

function fig(t: Timed | undefined): number | null {
  return t && t.ok ? t.wall_s : null;
}

function problem(label: string, t: Timed | undefined): string | undefined {
  return t && !t.ok ? `${label}: ${t.detail}` : undefined;
}

function goal(value: number | null, limit: number, text: string): string {
  if (value === null) return `goal ${text}: no figure`;
  return `goal ${text}: ${value < limit ? 'met' : 'MISSED'}`;
}

const rss = (t: Timed | undefined) => (t?.peakRssKb ? `peak RSS ${(t.peakRssKb / 1024).toFixed(0)} MB` : undefined);
const join2 = (...parts: (string | undefined)[]) => parts.filter(Boolean).join('; ');

export default async function benchEngine(): Promise<BenchRow[]> {
  const repeats = Math.max(1, Number(process.env.BENCH_REPEATS ?? 1) || 1);
  const rows: BenchRow[] = [];
  const notes: string[] = [];

  const joblibMissing = joblibAvailable();
  if (joblibMissing) console.log(`peer joblib: missing (${joblibMissing}); its rows are left empty`);
  const smVersion = snakemakeVersion();
  if (!smVersion) console.log('peer snakemake: missing (no `snakemake` on PATH; apt install snakemake); its rows are left empty');
  const cliPresent = existsSync(cli);
  if (!cliPresent) console.log(`featureflow CLI missing (${cli}): whole-process rows for ours are left empty`);

  // our in-process figures come after a one-cell warm-up that loads modules and fingerprints
  const warm = tempDir('warm');
  await timedRun({ store: warm, executor: 'in-process', overrides: { a: [0], b: [0] } }, { computed: 1, cached: 0 });
  await timedRun({ store: warm, executor: 'threads', overrides: { a: [0], b: [1] } }, { computed: 1, cached: 0 });
  await timedRun({ store: warm, executor: 'processes', overrides: { a: [0], b: [2] } }, { computed: 1, cached: 0 });
  rmSync(warm, { recursive: true, force: true });

  // Every repeat is a round of everything, ours and the peers interleaved, and each figure
  // keeps its best round: on a shared machine the load drifts over minutes, and measuring one
  // side early and the other late would turn that drift into a ratio.
  let pureJs = Infinity;
  let pyPure: number | null = null;
  let inproc1: OursTriple | undefined, inprocOverlap: OursTriple | undefined, inprocThreads: OursTriple | undefined, inprocProcesses: OursTriple | undefined;
  let planIn: (Timed & { heapMb: number }) | undefined;
  let cliThreads: OursTriple | undefined, cliInproc: OursTriple | undefined, cliThreadsExplicit: OursTriple | undefined;
  let installedThreads: OursTriple | undefined;
  const installed = cliPresent ? installedProject() : undefined;
  let cliPlan: Timed | undefined, cliFloor: Timed | undefined, cliHelp: Timed | undefined, smHelp: Timed | undefined;
  const scale = new Map<number, Timed>();
  const runScale = new Map<number, Timed>();
  let jl: Awaited<ReturnType<typeof joblibTriple>> | undefined;
  let jlPlan: Awaited<ReturnType<typeof joblibPlan>> | undefined;
  let sm: Awaited<ReturnType<typeof snakemakeTriple>> | undefined;
  let smPlan: Timed | undefined;
  let jlVersion = 'joblib';
  for (let round = 1; round <= repeats; round++) {
    const r = `round ${round}/${repeats}:`;
    log(`${r} pure compute (JS)…`);
    pureJs = Math.min(pureJs, pureComputeJs(COLD));
    log(`${r} ours in-process (executor in-process; in-process ×${OVERLAP}; threads; plan)…`);
    inproc1 = bestOf(inproc1, await oursInProcess('in-process'));
    inprocOverlap = bestOf(inprocOverlap, await oursInProcess('in-process', OVERLAP));
    inprocThreads = bestOf(inprocThreads, await oursInProcess('threads'));
    inprocProcesses = bestOf(inprocProcesses, await oursInProcess('processes'));
    planIn = pick(planIn, await oursPlanInProcess());
    if (cliPresent) {
      log(`${r} ours whole-process (featureflow run, run --executor in-process, plan, start-up floor)…`);
      cliThreads = bestOf(cliThreads, await oursCli([]));
      cliInproc = bestOf(cliInproc, await oursCli(['--executor', 'in-process']));
      cliThreadsExplicit = bestOf(cliThreadsExplicit, await oursCli(['--executor', 'threads']));
      if (installed) installedThreads = bestOf(installedThreads, await oursCli([], installed.launcher));
      cliPlan = pick(cliPlan, await oursPlanCli());
      if (round === 1) {
        log(`${r} ours plan at scale (10^4, 10^5, 10^6 tasks, whole process)…`);
        for (const side of SCALE_SIDES) scale.set(side, await oursPlanScale(side));
        log(`${r} ours run at scale, until its first task is done (10^4, 10^5, 10^6 tasks)…`);
        for (const side of SCALE_SIDES) runScale.set(side, await oursRunUnderWay(side));
      }
      const store = tempDir('floor');
      cliFloor = pick(cliFloor, await timeProcess(process.execPath, [cli, 'plan', pipelinePath, '--store', store, '--json', '--set', 'a=[0]', '--set', 'b=[0]']));
      // a checkout replays help from its cache after the first call (bin/help-cache.mjs): warm it, then time
      await timeProcess(process.execPath, [cli, '--help']);
      cliHelp = pick(cliHelp, await timeProcess(process.execPath, [cli, '--help']));
      rmSync(store, { recursive: true, force: true });
    }
    if (!joblibMissing) {
      log(`${r} joblib (pure compute, cold / warm / 550, check_call_in_cache ×10,000)…`);
      const pure = await joblib(['pure']);
      if (pure.ok && pure.py) pyPure = pyPure === null ? pure.py.inproc_s : Math.min(pyPure, pure.py.inproc_s);
      jl = bestOf(jl, await joblibTriple());
      jlVersion = `joblib ${jl.cold.py?.joblib ?? ''}`.trim();
      jlPlan = pick(jlPlan, await joblibPlan());
    }
    if (smVersion) {
      log(`${r} snakemake (cold / rerun / 550, dry run of 10,000 jobs; this takes a while)…`);
      sm = bestOf(sm, await snakemakeTriple());
      // the dry run takes 10-20 s: once is enough
      if (round === 1) smPlan = await snakemakePlan();
      smHelp = pick(smHelp, await timeProcess('snakemake', ['--help']));
    }
  }
  installed?.dispose();
  const pureJsCell = pureJs / COLD;
  const smName = smVersion ? `snakemake ${smVersion}` : 'snakemake (missing)';
  const jlName = joblibMissing ? 'joblib (missing)' : jlVersion;
  inproc1 = inproc1!;
  inprocOverlap = inprocOverlap!;
  inprocThreads = inprocThreads!;
  planIn = planIn!;

  // derived figures
  const overhead = (wall: number | null, pure: number | null) => (wall === null || pure === null ? null : (wall - pure) / COLD);
  const beyond = (wall: number | null, pureCell: number | null) => (wall === null || pureCell === null ? null : wall - NEW_CELLS * pureCell);
  const pyPureCell = pyPure === null ? null : pyPure / COLD;
  const jlIn = (t: (Timed & { py?: JoblibOut }) | undefined) => (t && t.ok && t.py ? t.py.inproc_s : null);
  const workers = `${spawnSync(process.execPath, ['-p', 'require("os").availableParallelism()'], { encoding: 'utf8' }).stdout.trim()} workers`;

  rows.push(benchRow(G, 'pure compute per cell (1000 float64)', pureJsCell, 'numpy', pyPureCell, 'the work itself, no engine; the overheads below subtract it'));

  const W = '(whole process)';
  const I = '(in-process)';
  const threadsNote = `featureflow run, worker processes (${workers}, the default)`;
  const explicitThreadsNote = `featureflow run --executor threads (${workers})`;
  const inprocNote = 'featureflow run --executor in-process (1 task at a time)';

  // cold run
  const coldCli = fig(cliThreads?.cold);
  rows.push(benchRow(G, `cold run, 500 cells ${W}`, coldCli ?? Number.NaN, jlName, fig(jl?.cold), threadsNote));
  rows.push(benchRow(G, `cold run, 500 cells ${W}`, fig(installedThreads?.cold) ?? Number.NaN, jlName, fig(jl?.cold), 'an installed package (dist/), worker processes (the default)'));
  rows.push(benchRow(G, `cold run, 500 cells ${W}`, coldCli ?? Number.NaN, smName, fig(sm?.cold), threadsNote));
  rows.push(benchRow(G, `cold run, 500 cells ${W}`, fig(cliInproc?.cold) ?? Number.NaN, jlName, fig(jl?.cold), inprocNote));
  rows.push(benchRow(G, `cold run, 500 cells ${I}`, fig(inproc1.cold) ?? Number.NaN, jlName, jlIn(jl?.cold), 'run() with executor in-process; joblib timed inside Python'));
  rows.push(benchRow(G, `cold run, 500 cells ${I}`, fig(inprocThreads.cold) ?? Number.NaN, jlName, jlIn(jl?.cold), `run() with executor threads (${workers})`));
  rows.push(benchRow(G, `cold run, 500 cells ${I}`, fig(inprocProcesses!.cold) ?? Number.NaN, jlName, jlIn(jl?.cold), `run() with executor processes (${workers})`));
  rows.push(benchRow(G, `cold run, 500 cells ${W}`, fig(cliThreadsExplicit?.cold) ?? Number.NaN, jlName, fig(jl?.cold), explicitThreadsNote));

  // overhead per task
  const ovGoal = (v: number | null) => goal(v, 1e-3, '< 1 ms');
  const ovCli = overhead(coldCli, pureJs);
  rows.push(benchRow(G, `overhead per task, cold ${W}`, ovCli ?? Number.NaN, jlName, overhead(fig(jl?.cold), pyPure), join2(threadsNote, ovGoal(ovCli))));
  rows.push(benchRow(G, `overhead per task, cold ${W}`, ovCli ?? Number.NaN, smName, overhead(fig(sm?.cold), pyPure), join2(threadsNote, ovGoal(ovCli))));
  const ovCliIn = overhead(fig(cliInproc?.cold), pureJs);
  rows.push(benchRow(G, `overhead per task, cold ${W}`, ovCliIn ?? Number.NaN, jlName, overhead(fig(jl?.cold), pyPure), join2(inprocNote, ovGoal(ovCliIn))));
  const ovIn = overhead(fig(inproc1.cold), pureJs);
  rows.push(benchRow(G, `overhead per task, cold ${I}`, ovIn ?? Number.NaN, jlName, overhead(jlIn(jl?.cold), pyPure), join2('executor in-process', ovGoal(ovIn))));
  const ovInO = overhead(fig(inprocOverlap.cold), pureJs);
  rows.push(benchRow(G, `overhead per task, cold ${I}`, ovInO ?? Number.NaN, jlName, overhead(jlIn(jl?.cold), pyPure), join2(`executor in-process, concurrency ${OVERLAP} (store I/O overlapped)`, ovGoal(ovInO))));
  const ovInT = overhead(fig(inprocThreads.cold), pureJs);
  rows.push(benchRow(G, `overhead per task, cold ${I}`, ovInT ?? Number.NaN, jlName, overhead(jlIn(jl?.cold), pyPure), join2(`executor threads (${workers})`, ovGoal(ovInT))));
  const ovInP = overhead(fig(inprocProcesses!.cold), pureJs);
  rows.push(benchRow(G, `overhead per task, cold ${I}`, ovInP ?? Number.NaN, jlName, overhead(jlIn(jl?.cold), pyPure), join2(`executor processes (${workers}): the cost of crash isolation`, ovGoal(ovInP))));

  // all-cached rerun
  const jlWarm = fig(jl?.cached);
  const warmGoal = (v: number | null, peer: number | null) => (v === null || peer === null ? 'goal: faster than joblib warm pass: no figure' : `goal faster than joblib's warm pass: ${v < peer ? 'met' : 'MISSED'}`);
  const installedNote = "an installed package (dist/): a project importing 'featureflow/core', worker processes (the default)";
  rows.push(benchRow(G, `all-cached rerun, 500 ${W}`, fig(installedThreads?.cached) ?? Number.NaN, jlName, jlWarm, join2(installedNote, warmGoal(fig(installedThreads?.cached), jlWarm))));
  rows.push(benchRow(G, `all-cached rerun, 500 ${W}`, fig(cliThreads?.cached) ?? Number.NaN, jlName, jlWarm, join2(`${threadsNote}, from this checkout's TypeScript`, warmGoal(fig(cliThreads?.cached), jlWarm))));
  rows.push(benchRow(G, `all-cached rerun, 500 ${W}`, fig(cliThreads?.cached) ?? Number.NaN, smName, fig(sm?.cached), threadsNote));
  rows.push(benchRow(G, `all-cached rerun, 500 ${W}`, fig(cliInproc?.cached) ?? Number.NaN, jlName, jlWarm, join2(inprocNote, warmGoal(fig(cliInproc?.cached), jlWarm))));
  rows.push(benchRow(G, `all-cached rerun, 500 ${I}`, fig(inproc1.cached) ?? Number.NaN, jlName, jlIn(jl?.cached), warmGoal(fig(inproc1.cached), jlIn(jl?.cached))));

  // 550 cells, 50 new
  const bGoal = (v: number | null) => goal(v, 0.2, '< 0.2 s beyond the 50 new cells');
  rows.push(benchRow(G, `550 cells, 50 new ${W}`, fig(cliThreads?.wide) ?? Number.NaN, jlName, fig(jl?.wide), threadsNote));
  rows.push(benchRow(G, `550 cells, 50 new ${W}`, fig(cliThreads?.wide) ?? Number.NaN, smName, fig(sm?.wide), threadsNote));
  const bCli = beyond(fig(cliThreads?.wide), pureJsCell);
  rows.push(benchRow(G, `550 cells: cost beyond the 50 new ${W}`, bCli ?? Number.NaN, jlName, beyond(fig(jl?.wide), pyPureCell), join2(threadsNote, bGoal(bCli), 'includes process start')));
  rows.push(benchRow(G, `550 cells: cost beyond the 50 new ${W}`, bCli ?? Number.NaN, smName, beyond(fig(sm?.wide), pyPureCell), join2(threadsNote, bGoal(bCli), 'includes process start')));
  const bCliIn = beyond(fig(cliInproc?.wide), pureJsCell);
  rows.push(benchRow(G, `550 cells: cost beyond the 50 new ${W}`, bCliIn ?? Number.NaN, jlName, beyond(fig(jl?.wide), pyPureCell), join2(inprocNote, bGoal(bCliIn), 'includes process start')));
  const bIn = beyond(fig(inproc1.wide), pureJsCell);
  rows.push(benchRow(G, `550 cells: cost beyond the 50 new ${I}`, bIn ?? Number.NaN, jlName, beyond(jlIn(jl?.wide), pyPureCell), join2('executor in-process', bGoal(bIn))));
  const bInO = beyond(fig(inprocOverlap.wide), pureJsCell);
  rows.push(benchRow(G, `550 cells: cost beyond the 50 new ${I}`, bInO ?? Number.NaN, jlName, beyond(jlIn(jl?.wide), pyPureCell), join2(`executor in-process, concurrency ${OVERLAP}`, bGoal(bInO))));
  const bInT = beyond(fig(inprocThreads.wide), pureJsCell);
  rows.push(benchRow(G, `550 cells: cost beyond the 50 new ${I}`, bInT ?? Number.NaN, jlName, beyond(jlIn(jl?.wide), pyPureCell), join2(`executor threads (${workers})`, bGoal(bInT))));

  // plan of 10,000
  const pGoal = (v: number | null) => goal(v, 1, '< 1 s');
  const planCli = fig(cliPlan);
  rows.push(benchRow(G, `plan 10,000 tasks ${W}`, planCli ?? Number.NaN, `${jlName} check_call_in_cache`, fig(jlPlan), join2(pGoal(planCli), rss(cliPlan) && `ours ${rss(cliPlan)}`, rss(jlPlan) && `joblib ${rss(jlPlan)}`)));
  rows.push(benchRow(G, `plan 10,000 tasks ${W}`, planCli ?? Number.NaN, `${smName} -n`, fig(smPlan), join2(pGoal(planCli), rss(smPlan) && `snakemake ${rss(smPlan)}`)));
  for (const [side, t] of scale) {
    const n = side * side;
    const mb = t.peakRssKb ? t.peakRssKb / 1024 : null;
    const note = t.ok ? join2(`peak RSS ${mb?.toFixed(0) ?? '?'} MB (${mb ? ((mb * 1024 * 1024) / n).toFixed(0) : '?'} B/task)`, n === 1_000_000 ? `goal < 10 s and < 1 GB: ${t.wall_s < 10 && (mb ?? Infinity) < 1024 ? 'met' : 'MISSED'}` : undefined) : `failed: ${t.detail}`;
    rows.push(benchRow(G, `plan ${n.toLocaleString('en')} tasks ${W}, scale`, t.ok ? t.wall_s : Number.NaN, '-', null, note));
  }
  for (const [side, t] of runScale) {
    const n = side * side;
    const mb = t.peakRssKb ? t.peakRssKb / 1024 : null;
    const note = t.ok ? join2(`peak RSS ${mb?.toFixed(0) ?? '?'} MB (${mb ? ((mb * 1024 * 1024) / n).toFixed(0) : '?'} B/task)`, n === 1_000_000 ? `goal < 10 s and < 1 GB: ${t.wall_s < 10 && (mb ?? Infinity) < 1024 ? 'met' : 'MISSED'}` : undefined) : `failed: ${t.detail}`;
    rows.push(benchRow(G, `run ${n.toLocaleString('en')} tasks under way (first task done) ${W}, scale`, t.ok ? t.wall_s : Number.NaN, '-', null, note));
  }
  rows.push(benchRow(G, `plan 10,000 tasks ${I}`, fig(planIn) ?? Number.NaN, `${jlName} check_call_in_cache`, jlIn(jlPlan), join2(pGoal(fig(planIn)), `heap growth ${planIn.heapMb.toFixed(0)} MB (0 = GC ran)`, `RSS of the bench process ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MB`)));
  if (cliHelp) rows.push(benchRow(G, `featureflow --help ${W}`, fig(cliHelp) ?? Number.NaN, `${smName} --help`, fig(smHelp), goal(fig(cliHelp), 0.3, '< 0.3 s')));
  if (cliFloor) rows.push(benchRow(G, `process start floor: plan of 1 cell ${W}`, fig(cliFloor) ?? Number.NaN, '-', null, join2('node + the TypeScript hooks + imports + fingerprints', rss(cliFloor))));

  for (const [label, t] of [
    ['ours cli threads cold', cliThreads?.cold], ['ours cli threads cached', cliThreads?.cached], ['ours cli threads 550', cliThreads?.wide],
    ['ours installed cold', installedThreads?.cold], ['ours installed cached', installedThreads?.cached], ['ours installed 550', installedThreads?.wide],
    ['ours cli in-process cold', cliInproc?.cold], ['ours cli in-process cached', cliInproc?.cached], ['ours cli in-process 550', cliInproc?.wide],
    ['ours in-process cold', inproc1.cold], ['ours in-process cached', inproc1.cached], ['ours in-process 550', inproc1.wide],
    ['ours in-process overlap cold', inprocOverlap.cold], ['ours in-process overlap cached', inprocOverlap.cached], ['ours in-process overlap 550', inprocOverlap.wide],
    ['ours threads cold', inprocThreads.cold], ['ours threads cached', inprocThreads.cached], ['ours threads 550', inprocThreads.wide],
    ['ours plan cli', cliPlan], ['ours plan in-process', planIn], ['ours start floor', cliFloor],
    ['joblib cold', jl?.cold], ['joblib warm', jl?.cached], ['joblib 550', jl?.wide], ['joblib plan', jlPlan],
    ['snakemake cold', sm?.cold], ['snakemake rerun', sm?.cached], ['snakemake 550', sm?.wide], ['snakemake plan', smPlan],
  ] as const) {
    const p = problem(label, t);
    if (p) notes.push(p);
  }
  for (const n of notes) console.log(`engine bench problem: ${n}`);
  log(`done (pure JS ${formatSeconds(pureJsCell)}/cell, numpy ${formatSeconds(pyPureCell)}/cell)`);
  return rows;
}

/** The better (faster, or the only successful) of two measurements. */
function pick<T extends Timed>(a: T | undefined, b: T): T {
  if (!a) return b;
  return b.ok && (!a.ok || b.wall_s < a.wall_s) ? b : a;
}

/** Cold, cached and 550 figures of two rounds, each the better one. */
function bestOf<T extends { cold: Timed; cached: Timed; wide: Timed }>(acc: T | undefined, m: T): T {
  if (!acc) return m;
  return { ...acc, cold: pick(acc.cold, m.cold), cached: pick(acc.cached, m.cached), wide: pick(acc.wide, m.wide) };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  printTable(await benchEngine());
}
