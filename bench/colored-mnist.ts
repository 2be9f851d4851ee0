/**
 * The Colored MNIST step against PyTorch on CPU (Debian's /usr/bin/python3,
 * bench/peers/colored_mnist_torch.py), on the same data in the same run: 100 full-batch Adam steps
 * of the 392 → 300 → 300 → 1 ReLU network (BCE-with-logits, lr 1e−4) on the training set of the
 * study's first restart (4000 + 4000 shipped digits). Ours on the native trainer (the 100 steps in
 * one fused call); like for like in threads: OpenBLAS and torch both with 1 thread (what a worker
 * uses), then both with 2. The js trainer is not timed here (≈ 10 GFLOP per step in plain JS).
 * Runnable alone: `npx tsx bench/colored-mnist.ts`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { native } from '../native/load.ts';
import { nativeTrainer } from '../compute/trainer-native.ts';
import { coloredMnist } from '../nodes/starvation/colored-mnist-data.ts';
import { coloredMnistOptimizer, coloredMnistParams, coloredMnistSpec, objectiveAt } from '../nodes/starvation/colored-mnist-params.ts';
import { digitPool } from '../nodes/starvation/colored-mnist-pool.ts';
import { initialLayers } from '../nodes/starvation/colored-mnist-training.ts';
import { benchRow, printTable, type BenchRow } from './table.ts';

const PYTHON = '/usr/bin/python3';
const PEER = fileURLToPath(new URL('./peers/colored_mnist_torch.py', import.meta.url));
const STEPS = 100;
/** runs per measurement, the median reported (`BENCH_REPEATS`, as the engine bench) */
const REPS = Math.max(1, Number(process.env.BENCH_REPEATS ?? 3) || 3);

const data = coloredMnist(digitPool({ source: 'mnist-npm', splitSeed: 0 }), { trainPerEnv: 4000, test: 2000 }, 0);
const batch = { x: data.train.x, targets: data.train.labels };
const params = coloredMnistParams.parse({ method: 'erm', steps: STEPS, seed: 0, initSeed: 0 });

function torchSeconds(dir: string, threads: number): { seconds: number; torch: string } | { error: string } {
  const r = spawnSync(PYTHON, [PEER, dir, String(STEPS), String(threads), String(REPS)], {
    encoding: 'utf8', timeout: 600_000, env: { ...process.env, OMP_NUM_THREADS: String(threads), OPENBLAS_NUM_THREADS: String(threads) },
  });
  if (r.status !== 0) return { error: (r.stderr || r.error?.message || 'failed').trim().split('\n').slice(-1)[0]! };
  return JSON.parse(r.stdout.trim().split('\n').slice(-1)[0]!);
}

function nativeSeconds(addon: Parameters<typeof nativeTrainer>[0], threads: number): number {
  const before = addon.getThreads();
  addon.setThreads(threads);
  try {
    const spec = coloredMnistSpec(300);
    const times: number[] = [];
    for (let r = 0; r < REPS; r++) {
      const net = nativeTrainer(addon).createNetwork({ spec, init: initialLayers(spec, 0), optimizer: coloredMnistOptimizer(params) });
      net.steps(batch, objectiveAt(params, 0), 5); // warm-up, as the peer
      const t0 = performance.now();
      net.steps(batch, objectiveAt(params, 0), STEPS);
      times.push((performance.now() - t0) / 1000);
      net.dispose();
    }
    return times.sort((a, b) => a - b)[REPS >> 1]!;
  } finally {
    addon.setThreads(before);
  }
}

export async function benchColoredMnist(): Promise<BenchRow[]> {
  const loaded = native.loadNative();
  if (!loaded.ok) return [benchRow('starvation', 'Colored MNIST, 100 Adam steps (native)', NaN, '-', null, `native addon not built: ${loaded.reason}`)];
  const dir = mkdtempSync(join(tmpdir(), 'ff-bench-cmnist-'));
  try {
    writeFileSync(join(dir, 'x.f32'), batch.x);
    writeFileSync(join(dir, 'y.f32'), batch.targets);
    const rows: BenchRow[] = [];
    for (const threads of [1, 2]) {
      const peer = torchSeconds(dir, threads);
      const peerName = 'error' in peer ? `torch (unavailable: ${peer.error})` : `torch ${peer.torch} CPU, ${threads} thread${threads > 1 ? 's' : ''}`;
      const ours = nativeSeconds(loaded.addon, threads);
      rows.push(benchRow('starvation', `Colored MNIST, 100 full-batch Adam steps, ${batch.targets.length} × 392→300→300→1 (native, ${threads} BLAS thread${threads > 1 ? 's' : ''})`, ours, peerName, 'error' in peer ? null : peer.seconds, `median of ${REPS}, one fused call`));
    }
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  printTable(await benchColoredMnist());
}
