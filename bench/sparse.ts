/**
 * One training epoch of the sparse double descent MLP (784 → H → 10, H = 100 and 500; the first
 * 5000 shipped MNIST digits; batch 32; cross-entropy + α·notebook L1, α = 0.01; plain SGD) on every
 * MLP backend here, against PyTorch on CPU with 1 and 2 threads on the same data in the same run
 * (Debian's /usr/bin/python3, bench/peers/sparse_mlp.py). Then the full sweep's time on 2 cores,
 * estimated from one epoch + one test evaluation per width, ours and torch's alike.
 * Runnable alone: `npx tsx bench/sparse.ts`.
 */
import { withL1Forms } from '../compute/extensions/l1-forms.ts';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MlpCompute } from '../engine/compute/mlp.ts';
import { jsMlp } from '../compute/mlp-js.ts';
import { load as loadTfjs } from '../compute/mlp-tfjs.ts';
import { randomSourceFromSeed } from '../engine/random.ts';
import { runNode } from '../engine/testing.ts';
import { imageSplit, type LabelledImages } from '../nodes/data/image-table.ts';
import { loadMnist } from '../nodes/data/mnist.ts';
import { torchDefaultInit } from '../nodes/sparse/torch-init.ts';
import { ALPHAS, L1_FORMS, WIDTHS } from '../pipelines/sparse-double-descent.ts';
import { benchRow, printTable, type BenchRow } from './table.ts';

const PYTHON = '/usr/bin/python3';
const PEER = fileURLToPath(new URL('./peers/sparse_mlp.py', import.meta.url));
const ALPHA = 0.01;
const BATCH = 32;
const SEEDS = 3;
const EPOCHS = 30;
const CORES = 2;

async function backends(): Promise<MlpCompute[]> {
  const list: MlpCompute[] = [];
  try {
    list.push(await (await import('../compute/mlp-native.ts')).load());
  } catch {
    // not built here: the table simply has no native row
  }
  list.push(jsMlp, await loadTfjs('wasm'), await loadTfjs('cpu'));
  return list;
}

/** seconds for one shuffled epoch of training, and for one evaluation of `test` */
async function epochSeconds(mlp: MlpCompute, width: number, train: LabelledImages, test: LabelledImages | undefined, reps: number): Promise<{ train: number; evaluate: number }> {
  const layers = [784, width, 10];
  const random = randomSourceFromSeed(`bench/sparse/${width}`);
  const trainer = await withL1Forms(mlp).createTrainer(layers, torchDefaultInit(layers, random), 'softmax-cross-entropy');
  const xb = new Float32Array(BATCH * 784);
  const yb = new Int32Array(BATCH);
  const epoch = async () => {
    const order = random.permutation(train.count);
    for (let start = 0; start + BATCH <= train.count; start += BATCH) {
      for (let k = 0; k < BATCH; k++) {
        const src = order[start + k]!;
        xb.set(train.x.subarray(src * 784, (src + 1) * 784), k * 784);
        yb[k] = train.y[src]!;
      }
      await trainer.trainStep(xb, yb, { lr: 1e-3, l1: ALPHA, l1Form: 'notebook' });
    }
  };
  const times: number[] = [];
  const evals: number[] = [];
  for (let r = 0; r < reps + (reps > 1 ? 1 : 0); r++) {
    const t0 = performance.now();
    await epoch();
    const t1 = performance.now();
    if (test) await trainer.evaluate(test.x, test.y);
    const t2 = performance.now();
    if (reps > 1 && r === 0) continue; // warm-up (JIT, kernel caches)
    times.push((t1 - t0) / 1000);
    evals.push((t2 - t1) / 1000);
  }
  trainer.dispose();
  const median = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1]!;
  return { train: median(times), evaluate: median(evals) };
}

function torchEpoch(dir: string, width: number, threads: number, reps = 3): { seconds: number; evaluate: number | null; torch: string } | undefined {
  const r = spawnSync(PYTHON, [PEER, dir, String(width), String(threads), String(reps), String(ALPHA)], { encoding: 'utf8', timeout: 600_000 });
  if (r.status !== 0) return undefined;
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as { seconds: number; evaluate: number | null; torch: string };
}

export async function benchSparse(): Promise<BenchRow[]> {
  const split = imageSplit(await runNode(loadMnist as never, {}) as never);
  const dir = mkdtempSync(join(tmpdir(), 'ff-bench-sparse-'));
  const rows: BenchRow[] = [];
  try {
    writeFileSync(join(dir, 'x.f32'), split.train.x);
    writeFileSync(join(dir, 'y.i32'), split.train.y);
    const mlps = await backends();
    for (const width of [100, 500]) {
      const t1 = torchEpoch(dir, width, 1);
      const t2 = torchEpoch(dir, width, 2);
      const peer = t1 ? `torch ${t1.torch} 1 thread` : 'torch (unavailable)';
      for (const mlp of mlps) {
        // the tfjs CPU backend needs over a minute per epoch at H = 500: one epoch at H = 100 says enough
        if (mlp.name === 'cpu' && width > 100) continue;
        const { train } = await epochSeconds(mlp, width, split.train, undefined, mlp.name === 'cpu' ? 1 : 3);
        const vs2 = t2 ? `vs torch 2 threads (${t2.seconds.toPrecision(3)} s): ${(train / t2.seconds).toPrecision(2)}×` : 'torch 2 threads unavailable';
        rows.push(benchRow('sparse', `epoch 784→${width}→10, ${mlp.name}`, train, peer, t1?.seconds ?? null, vs2));
      }
    }
    // the full sweep: widths × α × seeds × forms, 30 epochs of training + test evaluation each,
    // one training per core; torch estimated the same way (1 thread per training, as a sweep
    // running one process per core would), with the test split written for its evaluation
    const cells = ALPHAS.length * SEEDS * L1_FORMS.length;
    writeFileSync(join(dir, 'tx.f32'), split.test.x);
    writeFileSync(join(dir, 'ty.i32'), split.test.y);
    let torchTotal: number | null = 0;
    let torchName = 'torch (unavailable)';
    for (const width of WIDTHS) {
      const t = torchEpoch(dir, width, 1, 2);
      if (!t || t.evaluate === null || torchTotal === null) {
        torchTotal = null;
        break;
      }
      torchTotal += cells * EPOCHS * (t.seconds + t.evaluate);
      torchName = `torch ${t.torch} 1 thread (same estimate)`;
    }
    const torchSweep = torchTotal === null ? null : torchTotal / CORES;
    for (const mlp of mlps.filter((m) => m.name === 'native' || m.name === 'js')) {
      let total = 0;
      for (const width of WIDTHS) {
        const e = await epochSeconds(mlp, width, split.train, split.test, 2);
        total += cells * EPOCHS * (e.train + e.evaluate);
      }
      const note = `${(total / CORES / 60).toFixed(1)} min${torchSweep === null ? '' : ` vs torch ${(torchSweep / 60).toFixed(1)} min`}; measured native sweep: README`;
      rows.push(benchRow('sparse', `full sweep estimate (${WIDTHS.length * cells} runs, ${CORES} cores), ${mlp.name}`, total / CORES, torchName, torchSweep, note));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  printTable(await benchSparse());
}
