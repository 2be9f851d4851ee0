/**
 * The gradient-starvation study's hot paths against PyTorch on CPU (Debian's /usr/bin/python3,
 * bench/peers/starvation_torch.py), on the same data in the same run: one two-moon run (10 000
 * full-batch SGD steps, 2 → 500 → 1, SD 0.003) and one NTK Gram matrix at initialisation (the
 * 300 × 2001 Jacobian of the logit, then J Jᵀ). Ours on the native trainer (fused steps) and on
 * the js trainer (2000 steps timed, scaled to 10 000); then the same run with the appendix's
 * dropout 0.7 and with batch-norm before the ReLU (nn.Dropout / nn.BatchNorm1d on the torch side).
 * Torch runs with 1 thread, as our workers do (one BLAS thread each). Runnable alone:
 * `npx tsx bench/starvation.ts`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mat } from '../engine/compute/matrix.ts';
import { randomSourceFromSeed } from '../engine/random.ts';
import { selectLinalg } from '../engine/compute/backends.ts';
import { jsTrainer } from '../compute/trainer-js.ts';
import type { TrainerCompute } from '../engine/compute/trainer.ts';
import { moonNetworkSpec, nthNetwork } from '../nodes/starvation/moon-network.ts';
import { moonData } from '../nodes/starvation/moon-training.ts';
import { moonRunParams } from '../nodes/starvation/moon-params.ts';
import { benchRow, printTable, type BenchRow } from './table.ts';
import { benchColoredMnist } from './colored-mnist.ts';

const PYTHON = '/usr/bin/python3';
const PEER = fileURLToPath(new URL('./peers/starvation_torch.py', import.meta.url));
const STEPS = 10_000;
const JS_STEPS = 2_000;
const SD = 0.003;

const params = moonRunParams.parse({ margin: 0.1, logitPenalty: SD });
const data = moonData(params);
const spec = moonNetworkSpec({ hidden: [500], dropout: 0, batchNorm: false, precision: 'float32' });
/** the appendix variants: the torch peer's LAYER argument and our network */
const VARIANTS = [
  { label: 'dropout 0.7', layer: 'dropout=0.7', spec: moonNetworkSpec({ hidden: [500], dropout: 0.7, batchNorm: false, precision: 'float32' }) },
  { label: 'batch-norm', layer: 'batchnorm', spec: moonNetworkSpec({ hidden: [500], dropout: 0, batchNorm: true, precision: 'float32' }) },
];
const batch = { x: Float32Array.from(data.x), targets: Float32Array.from(data.y) };
const objective = { loss: { kind: 'bce-with-logits', labels: 'plus-minus' } as const, logitPenalty: SD };

function runSeconds(trainer: TrainerCompute, steps: number, runSpec = spec): number {
  const random = randomSourceFromSeed('bench/starvation/masks');
  const net = trainer.createNetwork({ spec: runSpec, init: nthNetwork(runSpec, 0, 0), optimizer: { kind: 'sgd', lr: 1e-2, momentum: 0.9, weightDecay: 2e-4 }, random });
  net.steps(batch, objective, 20); // warm-up
  const t0 = performance.now();
  net.steps(batch, objective, steps);
  const s = (performance.now() - t0) / 1000;
  net.dispose();
  return s;
}

async function gramSeconds(trainer: TrainerCompute, reps = 3): Promise<number> {
  const linalg = (await selectLinalg()).impl;
  const net = trainer.createNetwork({ spec, init: nthNetwork(spec, 0, 0), optimizer: { kind: 'sgd', lr: 1e-2 } });
  const n = data.y.length, P = net.parameterCount;
  const once = () => {
    const J = net.jacobian(batch.x);
    return linalg.gemm(mat(n, P, J), mat(n, P, J), { transB: true });
  };
  once();
  const times: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    once();
    times.push((performance.now() - t0) / 1000);
  }
  return times.sort((a, b) => a - b)[reps >> 1]!;
}

function torchPeer(layer = 'plain'): { run: number; gram: number; torch: string } | { error: string } {
  const dir = mkdtempSync(join(tmpdir(), 'ff-bench-starvation-'));
  try {
    writeFileSync(join(dir, 'x.f32'), batch.x);
    writeFileSync(join(dir, 'y.f32'), batch.targets);
    const r = spawnSync(PYTHON, [PEER, dir, String(STEPS), '1', layer === 'plain' ? '3' : '0', String(SD), layer], { encoding: 'utf8', timeout: 600_000, cwd: fileURLToPath(new URL('./peers/', import.meta.url)) });
    if (r.status !== 0) return { error: (r.stderr || r.error?.message || 'failed').trim().split('\n').slice(-1)[0]! };
    return JSON.parse(r.stdout.trim().split('\n').slice(-1)[0]!);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchStarvation(): Promise<BenchRow[]> {
  const trainers: TrainerCompute[] = [];
  try {
    trainers.push(await (await import('../compute/trainer-native.ts')).load());
  } catch {
    // not built here: no native row
  }
  trainers.push(jsTrainer());
  const peer = torchPeer();
  const peerName = 'error' in peer ? `torch (unavailable: ${peer.error})` : `torch ${peer.torch} CPU, 1 thread`;
  const rows: BenchRow[] = [];
  for (const t of trainers) {
    const steps = t.name === 'js' ? JS_STEPS : STEPS;
    const seconds = (runSeconds(t, steps) * STEPS) / steps;
    const note = t.name === 'js' ? `${JS_STEPS} steps timed, ×${STEPS / JS_STEPS}` : 'fused steps, one call';
    rows.push(benchRow('starvation', `two-moon run, 10k full-batch steps, 2→500→1 (${t.name})`, seconds, peerName, 'error' in peer ? null : peer.run, note));
  }
  for (const t of trainers) {
    rows.push(benchRow('starvation', `NTK Gram at init, 300 × 2001 Jacobian + J Jᵀ (${t.name})`, await gramSeconds(t), peerName, 'error' in peer ? null : peer.gram, 'median of 3'));
  }
  for (const v of VARIANTS) {
    const vPeer = torchPeer(v.layer);
    for (const t of trainers) {
      const steps = t.name === 'js' ? JS_STEPS : STEPS;
      const seconds = (runSeconds(t, steps, v.spec) * STEPS) / steps;
      const note = t.name === 'js' ? `${JS_STEPS} steps timed, ×${STEPS / JS_STEPS}` : 'fused steps, one call';
      rows.push(benchRow('starvation', `two-moon run, ${v.label}, 10k steps, 2→500→1 (${t.name})`, seconds, peerName, 'error' in vPeer ? null : vPeer.run, note));
    }
  }
  rows.push(...(await benchColoredMnist()));
  return rows;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  printTable(await benchStarvation());
}
