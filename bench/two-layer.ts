/**
 * The two-layer study against numpy on the same work (issue 16), one OpenBLAS thread each side:
 *   rf:  one random-features risk estimate — n = 400, d = 200, h over 12 values of γ₂, 20 draws
 *        each, bias and variance exact in x (pinv of relu(XW), the arc-cosine kernel); numpy draws
 *        its own random numbers, so the curves agree statistically, not bit for bit
 *   gd:  6000 full-batch float64 GD steps on the first layer, n = 200, d = h = 100, sigmoid, on the
 *        same inputs (the final ‖W‖²_F is compared): native's fused kernel, the JS step on native
 *        gemms (the path before the kernel), and ml-matrix
 * for the native backend when built and the pure-JS ml-matrix one (which runs the GD only: its
 * rf estimate takes minutes). Runnable alone: `npx tsx bench/two-layer.ts`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { firstLayerGdStepsJs } from '../compute/extensions/first-layer-gd.ts';
import { mlMatrixLinalg } from '../compute/linalg-mlmatrix.ts';
import type { Linalg } from '../engine/compute/linalg.ts';
import { mat } from '../engine/compute/matrix.ts';
import { randomSourceFromSeed } from '../engine/random.ts';
import { ACTIVATIONS } from '../nodes/two-layer/activations.ts';
import { gaussianMat, matVec, teacherVector } from '../nodes/two-layer/draws.ts';
import { doubledNetwork, gradientSteps } from '../nodes/two-layer/network.ts';
import { randomFeaturesRisk } from '../nodes/two-layer/random-features.ts';
import { benchRow, printTable, type BenchRow } from './table.ts';

const PYTHON = '/usr/bin/python3';
const PEER = fileURLToPath(new URL('./peers/two_layer_numpy.py', import.meta.url));
const RF = { n: 400, d: 200, draws: 20, gammas: [0.2, 0.4, 0.6, 0.8, 0.9, 0.95, 1.05, 1.1, 1.2, 1.5, 2, 3] };
const GD = { n: 200, d: 100, h: 100, steps: 6000, eta: 5 };

function rfEstimate(linalg: Linalg): { seconds: number; risk: number[] } {
  const t0 = performance.now();
  const risk = RF.gammas.map((g, i) => randomFeaturesRisk({ n: RF.n, d: RF.d, h: Math.round(g * RF.n), r: 1, sigma: 0.5, draws: RF.draws, seed: i, linalg }).risk);
  return { seconds: (performance.now() - t0) / 1000, risk };
}

function gdInputs() {
  const random = randomSourceFromSeed('bench/two-layer/gd');
  const X = gaussianMat(GD.n, GD.d, 1, random.fork('X'));
  const y = matVec(X, teacherVector(GD.d, 1, random.fork('theta')));
  return { X, y, net: doubledNetwork(GD.d, GD.h, 1 / Math.sqrt(GD.d), random.fork('init')) };
}

/** through the study's own call (the backend's fused kernel when it has one), or the JS step on the backend's gemm */
function gdRun(linalg: Linalg, inp: ReturnType<typeof gdInputs>, jsStep = false): { seconds: number; checksum: number } {
  const W = mat(GD.d, GD.h, Float64Array.from(inp.net.W.data));
  const t0 = performance.now();
  if (jsStep) firstLayerGdStepsJs(linalg, inp.X, inp.y, inp.net.a, W, { eta: GD.eta, steps: GD.steps, activation: ACTIVATIONS.sigmoid });
  else gradientSteps({ W, a: inp.net.a }, inp.X, inp.y, { eta: GD.eta, steps: GD.steps, act: ACTIVATIONS.sigmoid }, linalg);
  return { seconds: (performance.now() - t0) / 1000, checksum: W.data.reduce((s, v) => s + v * v, 0) };
}

interface Peer { numpy: string; rf_s: number; rf_risk: number[]; gd_s: number; gd_W_checksum: number }

function runPeer(dir: string, inp: ReturnType<typeof gdInputs>): Peer | string {
  const raw = (name: string, a: Float64Array) => writeFileSync(join(dir, `gd_${name}.f64`), new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  raw('X', inp.X.data); raw('y', inp.y); raw('W', inp.net.W.data); raw('a', inp.net.a);
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ gd: GD, rf: { n: RF.n, d: RF.d, draws: RF.draws, hs: RF.gammas.map((g) => Math.round(g * RF.n)) } }));
  const r = spawnSync(PYTHON, [PEER, dir], { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' } });
  if (r.status !== 0) return `numpy peer failed: ${(r.stderr || r.error?.message || '').trim().split('\n').pop()}`;
  return JSON.parse(r.stdout) as Peer;
}

async function nativeBackend(): Promise<(Linalg & { setThreads(n: number): void; getThreads(): number }) | undefined> {
  try {
    return await (await import('../compute/linalg-native.ts')).load();
  } catch {
    return undefined;
  }
}

export async function benchTwoLayer(): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'ff-bench-two-layer-'));
  const rows: BenchRow[] = [];
  try {
    const inp = gdInputs();
    const peer = runPeer(dir, inp);
    const peerName = typeof peer === 'string' ? 'numpy' : `numpy ${peer.numpy} (1 thread)`;
    const native = await nativeBackend();
    const previous = native?.getThreads();
    native?.setThreads(1);
    const gdVariants: [Linalg, boolean, string][] = native
      ? [[native, false, 'native, fused kernel'], [native, true, 'native gemm, JS step'], [mlMatrixLinalg, false, 'ml-matrix']]
      : [[mlMatrixLinalg, false, 'ml-matrix']];
    for (const [linalg, jsStep, label] of gdVariants) {
      const gd = gdRun(linalg, inp, jsStep);
      const gdNote = typeof peer === 'string' ? peer : `‖W‖²_F vs numpy: ${Math.abs(gd.checksum / peer.gd_W_checksum - 1).toExponential(1)} relative`;
      rows.push(benchRow('two-layer', `first-layer GD, ${GD.steps} steps, n=${GD.n}, d=h=${GD.d} [${label}]`, gd.seconds, peerName, typeof peer === 'string' ? null : peer.gd_s, gdNote));
      if (jsStep) continue;
      if (linalg.name === 'ml-matrix') continue;
      const rf = rfEstimate(linalg);
      const gap = typeof peer === 'string' ? peer : `risk curves (different draws) differ by ≤ ${(100 * Math.max(...rf.risk.map((v, i) => Math.abs(v / peer.rf_risk[i]! - 1)))).toFixed(0)} % (max over the 12 γ₂)`;
      rows.push(benchRow('two-layer', `random-features risk, n=${RF.n}, d=${RF.d}, 12 γ₂ × ${RF.draws} draws [${linalg.name}]`, rf.seconds, peerName, typeof peer === 'string' ? null : peer.rf_s, gap));
    }
    if (native && previous !== undefined) native.setThreads(previous);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  printTable(await benchTwoLayer());
}
