/**
 * The report and live-view benchmark (issue 18, "Performance"):
 *  - `featureflow report` of sparse double descent at its full shape (587 tasks: 576 trainings,
 *    here 1 epoch on 10 digits per class so the store takes seconds to make), the page built in
 *    this process and as the whole command; goal < 2 s.
 *  - the engine bench's 500-cell grid run plainly, through the live view (`serve`'s child) without
 *    a page, and with the server and a connected page (an SSE client reading every message);
 *    goal: live ≤ 1.05 × plain. Rounds alternate, best of BENCH_REPEATS (default 3) per figure.
 *
 *   node --import tsx bench/report.ts
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { lastValueFrom, toArray } from 'rxjs';
import type { RunEvent } from '../engine/events.ts';
import { importPipeline, loadPipeline } from '../engine/load.ts';
import { buildReport } from '../engine/report/report.ts';
import { executeRun, run } from '../engine/run.ts';
import { liveRun } from '../engine/serve/live-run.ts';
import { LiveServer } from '../engine/serve/server.ts';
import { Store } from '../engine/store/store.ts';
import { benchRow, printTable, type BenchRow } from './table.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'bin', 'featureflow.mjs');
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

function reportCommand(store: string): number {
  const sets = Object.entries(SPARSE_SMALL).flatMap(([k, v]) => ['--set', `${k}=${v}`]);
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [cli, 'report', 'sparse-double-descent', '--store', store, ...sets, '--out', join(store, 'report.html')], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`featureflow report: ${r.stderr}`);
  return (performance.now() - t0) / 1000;
}

type Mode = 'plain' | 'live' | 'live+page';

/** One cold 500-cell grid run in a fresh store; seconds to its summary. */
async function gridRun(mode: Mode): Promise<number> {
  const pipeline = await importPipeline(new URL('./pipelines/grid.ts', import.meta.url).href);
  const store = await Store.open(temp('grid'), { durability: 'none' });
  const options = { store, concurrency: WORKERS, entry: pipeline.module };
  const never = new AbortController().signal;
  if (mode === 'plain') {
    const t0 = performance.now();
    await executeRun(pipeline, options, () => undefined, never);
    return (performance.now() - t0) / 1000;
  }
  const server = new LiveServer();
  let received = 0;
  let request: ReturnType<typeof get> | undefined;
  if (mode === 'live+page') {
    const url = await server.listen(0);
    await new Promise<void>((ready) => {
      request = get(`${url}events`, (res) => {
        res.on('data', (d: Buffer) => (received += d.length));
        ready();
      });
    });
    while (server.connected === 0) await new Promise((r) => setTimeout(r, 5));
  }
  const t0 = performance.now();
  await liveRun(pipeline, { ...options, onEvent: (_e: RunEvent) => undefined }, (m) => server.publish(m), never);
  const s = (performance.now() - t0) / 1000;
  request?.destroy();
  await server.close();
  if (mode === 'live+page' && received === 0) throw new Error('the connected page received nothing');
  return s;
}

export default async function benchReport(): Promise<BenchRow[]> {
  const repeats = Math.max(1, Number(process.env.BENCH_REPEATS ?? 3) || 3);
  const rows: BenchRow[] = [];
  log('making the 587-task sparse double descent store…');
  const store = await sparseStore();
  let inProc = Infinity;
  let whole = Infinity;
  for (let i = 0; i < repeats; i++) {
    inProc = Math.min(inProc, await reportInProcess(store));
    whole = Math.min(whole, reportCommand(store));
  }
  const G = 'report';
  rows.push(benchRow(G, 'report of sparse DD, 587 tasks (in-process build)', inProc, 'goal 2 s', 2, `buildReport(); ${inProc < 2 ? 'met' : 'MISSED'}`));
  rows.push(benchRow(G, 'report of sparse DD, 587 tasks (`featureflow report`)', whole, 'goal 2 s', 2, `the whole command, process start included; ${whole < 2 ? 'met' : 'MISSED'}`));

  log('500-cell grid: plain, live view, live view + connected page (alternating)…');
  await gridRun('plain'); // warm-up: module loading and the first worker start
  const best: Record<Mode, number> = { plain: Infinity, live: Infinity, 'live+page': Infinity };
  for (let i = 0; i < repeats; i++) for (const mode of ['plain', 'live', 'live+page'] as const) best[mode] = Math.min(best[mode], await gridRun(mode));
  const within = (m: Mode) => `${((best[m] / best.plain - 1) * 100).toFixed(1)} % over plain; goal < 5 %: ${best[m] / best.plain < 1.05 ? 'met' : 'MISSED'}`;
  rows.push(benchRow('serve', 'cold 500-cell grid, live view, no page', best.live, 'run() plain', best.plain, within('live')));
  rows.push(benchRow('serve', 'cold 500-cell grid, live view + connected page', best['live+page'], 'run() plain', best.plain, within('live+page')));
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) printTable(await benchReport());
