/**
 * The native OpenBLAS backend against its peers on the same inputs:
 *   float64 linear algebra (eigh d = 100, 300, 1000; thin SVD 1000×3000; solve 2000) vs numpy,
 *   with 1 and 2 OpenBLAS threads on both sides,
 *   one epoch of 784 → H → 10 MLP training (H = 100, 500; batch 32, 128; 5000 examples;
 *   cross-entropy + α·notebook L1, plain SGD) vs torch with 1 and 2 threads.
 * Medians of repeated runs; Debian's /usr/bin/python3 runs the peers (bench/peers/native_linalg.py).
 * Runnable alone: `npx tsx bench/native.ts`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { load as loadLinalg } from '../compute/linalg-native.ts';
import { load as loadMlp } from '../compute/mlp-native.ts';
import { mat, type Mat } from '../engine/compute/matrix.ts';
import { benchRow, printTable, type BenchRow } from './table.ts';

const PYTHON = '/usr/bin/python3';
const PEER = fileURLToPath(new URL('./peers/native_linalg.py', import.meta.url));

/** xorshift uniform in [-1, 1): the bench needs repeatable inputs, not statistical quality */
function filler(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 2147483648 - 1;
  };
}

function randomMat(rows: number, cols: number, seed: number): Mat {
  const r = filler(seed);
  const d = new Float64Array(rows * cols);
  for (let i = 0; i < d.length; i++) d[i] = r();
  return mat(rows, cols, d);
}

function symmetric(n: number, seed: number): Mat {
  const g = randomMat(n, n, seed).data;
  const d = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) d[i * n + j] = 0.5 * (g[i * n + j]! + g[j * n + i]!);
  return mat(n, n, d);
}

function median(fn: () => unknown, reps: number): number {
  fn();
  const t: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    fn();
    t.push((performance.now() - t0) / 1000);
  }
  t.sort((a, b) => a - b);
  return t[t.length >> 1]!;
}

function peer(kind: 'linalg' | 'mlp', dir: string, env: Record<string, string> = {}): { version: string; times: Record<string, number> } | { error: string } {
  const r = spawnSync(PYTHON, [PEER, kind, dir], { encoding: 'utf8', maxBuffer: 1 << 24, env: { ...process.env, ...env } });
  if (r.status !== 0) return { error: (r.stderr || String(r.error)).trim().split('\n').slice(-1)[0] ?? 'failed' };
  const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as { numpy?: string; torch?: string; times: Record<string, number> };
  return { version: out.numpy ?? out.torch ?? '?', times: out.times };
}

async function linalgRows(dir: string): Promise<BenchRow[]> {
  const la = await loadLinalg();
  interface Case { name: string; op: 'eigh' | 'svd' | 'solve'; a: Mat; b?: Mat; reps: number }
  const cases: Case[] = [
    { name: 'eigh d=100', op: 'eigh', a: symmetric(100, 1), reps: 200 },
    { name: 'eigh d=300', op: 'eigh', a: symmetric(300, 2), reps: 30 },
    { name: 'eigh d=1000', op: 'eigh', a: symmetric(1000, 3), reps: 5 },
    { name: 'svd 1000×3000 (thin)', op: 'svd', a: randomMat(1000, 3000, 4), reps: 3 },
    { name: 'solve 2000', op: 'solve', a: randomMat(2000, 2000, 5), b: randomMat(2000, 1, 6), reps: 5 },
  ];
  cases.forEach((c, i) => {
    writeFileSync(join(dir, `a${i}.f64`), c.a.data);
    if (c.b) writeFileSync(join(dir, `b${i}.f64`), c.b.data);
  });
  const caseJson = (c: Case, i: number) => ({ name: c.name, op: c.op, rows: c.a.rows, cols: c.a.cols, file: `a${i}.f64`, ...(c.b ? { rhs: `b${i}.f64` } : {}), reps: c.reps });
  const previous = la.getThreads();
  const rows: BenchRow[] = [];
  // OpenBLAS threads matched on both sides (results differ in the last bits between thread
  // counts). The machine is shared, so ours and numpy alternate per case, twice, and each side
  // keeps its better median: load that drifts over minutes then hits both alike.
  for (const threads of [1, 2]) {
    la.setThreads(threads);
    for (const [i, c] of cases.entries()) {
      writeFileSync(join(dir, 'cases.json'), JSON.stringify([caseJson(c, i)]));
      let ours = Infinity, theirs: number | null = null, version = '', error = '';
      for (let round = 0; round < 2; round++) {
        ours = Math.min(ours, median(() => (c.op === 'eigh' ? la.eighSym(c.a) : c.op === 'svd' ? la.svd(c.a, { thin: true }) : la.solve(c.a, c.b!)), c.reps));
        const p = peer('linalg', dir, { OPENBLAS_NUM_THREADS: String(threads), OMP_NUM_THREADS: String(threads) });
        if ('error' in p) error = p.error;
        else {
          version = p.version;
          const t = p.times[c.name];
          if (t !== undefined) theirs = theirs === null ? t : Math.min(theirs, t);
        }
      }
      rows.push(
        theirs === null
          ? benchRow('native', `${c.name} t${threads}`, ours, 'numpy', null, `peer failed: ${error}`)
          : benchRow('native', `${c.name} t${threads}`, ours, `numpy ${version}`, theirs, `${threads} OpenBLAS thread${threads > 1 ? 's' : ''} on both sides; goal ≤ 1.2×`),
      );
    }
  }
  la.setThreads(previous);
  return rows;
}

async function mlpRows(dir: string): Promise<BenchRow[]> {
  const compute = await loadMlp();
  const n = 5000, inputs = 784, lr = 0.001, alpha = 0.01;
  // MNIST-like rows: ~80% background pixels at the normalised blank value
  const r = filler(7);
  const x = new Float32Array(n * inputs);
  for (let i = 0; i < x.length; i++) x[i] = r() < 0.6 ? -0.4242 : 1.4 + 1.4 * r();
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) y[i] = Math.floor(((r() + 1) / 2) * 10) % 10;
  writeFileSync(join(dir, 'x.f32'), x);
  writeFileSync(join(dir, 'y.i32'), y);
  const shapes = [
    { hidden: 100, batch: 32 },
    { hidden: 100, batch: 128 },
    { hidden: 500, batch: 32 },
    { hidden: 500, batch: 128 },
  ];
  const name = (s: { hidden: number; batch: number }) => `mlp epoch 784→${s.hidden}→10 batch ${s.batch}`;
  const peerCases = shapes.flatMap((s) => [1, 2].map((threads) => ({ ...s, threads, lr, alpha, reps: 3, name: `${name(s)} t${threads}` })));
  writeFileSync(join(dir, 'cases.json'), JSON.stringify({ data: { n, inputs }, cases: peerCases }));

  const previous = compute.getThreads();
  compute.setThreads(1);
  const order = Int32Array.from({ length: n }, (_, i) => i);
  const options = { lr, l1: alpha, l1Form: 'notebook' as const };
  const ours = shapes.map((s) => {
    const rnd = filler(11 + s.hidden);
    const init = {
      weights: [new Float32Array(s.hidden * inputs).map(() => rnd() / Math.sqrt(inputs)), new Float32Array(10 * s.hidden).map(() => rnd() / Math.sqrt(s.hidden))],
      biases: [new Float32Array(s.hidden).map(() => rnd() / Math.sqrt(inputs)), new Float32Array(10).map(() => rnd() / Math.sqrt(s.hidden))],
    };
    const t = compute.createTrainer([inputs, s.hidden, 10], init, 'softmax-cross-entropy');
    // the per-batch interface as the sparse node drives it: gather the batch in JS, one call per batch
    const xb = new Float32Array(s.batch * inputs), yb = new Int32Array(s.batch);
    const steps = median(() => {
      for (let start = 0; start < n; start += s.batch) {
        const m = Math.min(s.batch, n - start);
        for (let k = 0; k < m; k++) {
          const src = order[start + k]!;
          xb.set(x.subarray(src * inputs, (src + 1) * inputs), k * inputs);
          yb[k] = y[src]!;
        }
        t.trainStep(m === s.batch ? xb : xb.subarray(0, m * inputs), m === s.batch ? yb : yb.subarray(0, m), options);
      }
    }, 5);
    const epoch = median(() => t.trainEpochSync(x, y, order, s.batch, options), 5);
    t.dispose();
    return { steps, epoch };
  });
  compute.setThreads(previous);

  const p = peer('mlp', dir);
  return shapes.flatMap((s, i) => {
    const o = ours[i]!;
    if ('error' in p) return [benchRow('native', name(s), o.steps, 'torch', null, `peer failed: ${p.error}`)];
    const t1 = p.times[`${name(s)} t1`], t2 = p.times[`${name(s)} t2`];
    const best = t1 !== undefined && t2 !== undefined ? Math.min(t1, t2) : (t1 ?? t2 ?? null);
    const torchNote = `torch 1 thread ${t1?.toFixed(3) ?? '-'} s, 2 threads ${t2?.toFixed(3) ?? '-'} s; ours 1 OpenBLAS thread; goal < 1×`;
    return [
      benchRow('native', `${name(s)} (trainStep)`, o.steps, `torch ${p.version} (best)`, best, torchNote),
      benchRow('native', `${name(s)} (trainEpoch)`, o.epoch, `torch ${p.version} (best)`, best, 'one native call per epoch'),
    ];
  });
}

export async function benchNative(): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'ff-bench-native-'));
  try {
    return [...(await linalgRows(dir)), ...(await mlpRows(dir))];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  printTable(await benchNative());
}
