/**
 * The report and live-view benchmark (issue 18, "Performance"):
 *  - `featureflow report` of sparse double descent at its full shape (587 tasks: 576 trainings,
 *    here 1 epoch on 10 digits per class so the store takes seconds to make), the page built in
 *    this process and as the whole command; goal < 2 s.
 *  - the engine bench's 500-cell grid (2 worker processes), cold, as `featureflow run` and as
 *    `featureflow serve` without and with a connected page (curl reading the event stream in its
 *    own process, as a browser would); the figure is each run record's wall time (plan to
 *    summary); goal: serve ≤ 1.05 × run. Rounds alternate, best of BENCH_REPEATS (default 3).
 *
 *   node --import tsx bench/report.ts
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { lastValueFrom, toArray } from 'rxjs';
import { loadPipeline } from '../engine/load.ts';
import { buildReport } from '../engine/report/report.ts';
import { listRunRecords } from '../engine/run-record.ts';
import { run } from '../engine/run.ts';
import { Store } from '../engine/store/store.ts';
import { benchRow, printTable, type BenchRow } from './table.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'bin', 'featureflow.mjs');
const gridPipeline = join(root, 'bench', 'pipelines', 'grid.ts');
const log = (msg: string) => process.stderr.write(`  report bench: ${msg}\n`);
const temp = (label: string) => mkdtempSync(join(tmpdir(), `ffbench-${label}-`));
const SPARSE_SMALL = { 'train.epochs': 1, 'mnist.trainPerDigit': 10, 'mnist.testPerDigit': 5 };
const WORKERS = 2;

async function sparseStore(): Promise<string> {
  const store = temp('sparse');
  const events = await lastValueFrom(run('sparse-double-descent', { store, overrides: SPARSE_SMALL, concurrency: WORKERS, fsync: false }).pipe(toArray()));
  const s = events.find((e) => e.type === 'summary');
  if (!s || s.type !== 'summary' || s.failed > 0 || s.computed + s.cached !== 587) throw new Error(`sparse store: ${JSON.stringify(s)}`);
  return store;
}

async function reportInProcess(store: string): Promise<number> {
  const pipeline = await loadPipeline('sparse-double-descent');
  const opened = await Store.open(store, { readOnly: true });
  const t0 = performance.now();
  await buildReport(pipeline, opened, { overrides: new Map(Object.entries(SPARSE_SMALL)) });
  return (performance.now() - t0) / 1000;
}

/** Seconds for the whole `featureflow <verb>` on the sparse store: `report`, or `plan` (the floor: start, import, plan). */
function command(verb: 'report' | 'plan', store: string): number {
  const sets = Object.entries(SPARSE_SMALL).flatMap(([k, v]) => ['--set', `${k}=${v}`]);
  const out = verb === 'report' ? ['--out', join(store, 'report.html')] : ['--json'];
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [cli, verb, 'sparse-double-descent', '--store', store, ...sets, ...out], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`featureflow ${verb}: ${r.stderr}`);
  return (performance.now() - t0) / 1000;
}

type Mode = 'run' | 'serve' | 'serve+page';

/** The wall time the run record of the only run in `store` says (plan to summary, the live view's work included). */
async function recordedWall(store: string): Promise<number> {
  const [r] = await listRunRecords(await Store.open(store, { readOnly: true }), 'bench-grid');
  if (!r || r.status !== 'completed' || r.wallMs === undefined) throw new Error(`no completed run in ${store}`);
  return r.wallMs / 1000;
}

/**
 * One cold 500-cell grid run in a fresh store, as a user starts it: `featureflow run`, or
 * `featureflow serve` (the run in its child process, the server in the parent) with or without a
 * page: an SSE client in its own process (curl) reading every message, as a browser would.
 */
async function gridRun(mode: Mode): Promise<number> {
  const store = temp('grid');
  const common = [gridPipeline, '--store', store, '-j', String(WORKERS), '--durability', 'none', '-q'];
  if (mode === 'run') {
    const r = spawnSync(process.execPath, [cli, 'run', ...common, '--no-results'], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`featureflow run: ${r.stderr}`);
    return recordedWall(store);
  }
  const serve = spawn(process.execPath, [cli, 'serve', ...common, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  serve.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const url = await new Promise<string>((resolveUrl, reject) => {
    let out = '';
    serve.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /http:\/\/127\.0\.0\.1:\d+\//.exec(out);
      if (m) resolveUrl(m[0]);
    });
    serve.on('exit', () => reject(new Error(`serve ended: ${err}`)));
  });
  const page = mode === 'serve+page' ? spawn('curl', ['-sN', `${url}events`], { stdio: ['ignore', 'pipe', 'ignore'] }) : undefined;
  let received = 0;
  page?.stdout.on('data', (d: Buffer) => (received += d.length));
  await new Promise<void>((done) => {
    const check = () => {
      if (/run 1 ended/.test(err)) done();
    };
    serve.stderr.on('data', check);
  });
  page?.kill();
  serve.kill('SIGINT');
  await new Promise((r) => serve.on('exit', r));
  if (page && received === 0) throw new Error('the page received nothing');
  return recordedWall(store);
}

export default async function benchReport(): Promise<BenchRow[]> {
  const repeats = Math.max(1, Number(process.env.BENCH_REPEATS ?? 3) || 3);
  const rows: BenchRow[] = [];
  log('making the 587-task sparse double descent store…');
  const store = await sparseStore();
  let inProc = Infinity;
  let whole = Infinity;
  let plan = Infinity;
  for (let i = 0; i < repeats; i++) {
    inProc = Math.min(inProc, await reportInProcess(store));
    whole = Math.min(whole, command('report', store));
    plan = Math.min(plan, command('plan', store));
  }
  const G = 'report';
  rows.push(benchRow(G, 'report of sparse DD, 587 tasks (in-process build)', inProc, 'goal 2 s', 2, `buildReport(); ${inProc < 2 ? 'met' : 'MISSED'}`));
  rows.push(benchRow(G, 'report of sparse DD, 587 tasks (`featureflow report`)', whole, '`featureflow plan`', plan, `whole commands, process start and the study's import included; goal 2 s: ${whole < 2 ? 'met' : 'MISSED'}`));

  log('500-cell grid: run, serve, serve + a connected page (alternating)…');
  const best: Record<Mode, number> = { run: Infinity, serve: Infinity, 'serve+page': Infinity };
  for (let i = 0; i < repeats; i++) for (const mode of ['run', 'serve', 'serve+page'] as const) best[mode] = Math.min(best[mode], await gridRun(mode));
  const within = (m: Mode) => `run record wall time; ${((best[m] / best.run - 1) * 100).toFixed(1)} % over run; goal < 5 %: ${best[m] / best.run < 1.05 ? 'met' : 'MISSED'}`;
  rows.push(benchRow('serve', 'cold 500-cell grid, `serve`, no page', best.serve, '`featureflow run`', best.run, within('serve')));
  rows.push(benchRow('serve', 'cold 500-cell grid, `serve` + a connected page', best['serve+page'], '`featureflow run`', best.run, within('serve+page')));
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) printTable(await benchReport());
