/**
 * The teacher–student peer workload (issue: "npm run bench, same run, ratios"), ours against
 * numpy 1.24 + OpenBLAS on the same inputs, at (d, p, n) = (100, 50, 150) and (1000, 500, 1500):
 *   exact:  the exact general-case curve R(t), Q(t) at 200 log-spaced t (XᵀX, one eigh, O(d²) per t)
 *   gd:     10,000 explicit GD steps ŵ ← ŵ − η(XᵀXŵ − Xᵀy) (the quadratic-GD kernel extension: one backend
 *           call per 100 steps)
 * for every linear-algebra backend that loads here (ml-matrix always; native when built), plus a
 * profile of where each backend spends the exact curve's time. Runnable alone: `npx tsx bench/teacher-student.ts`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Linalg } from '../engine/compute/linalg.ts';
import { mat } from '../engine/compute/matrix.ts';
import { randomSourceFromSeed } from '../engine/random.ts';
import { mlMatrixLinalg } from '../compute/linalg-mlmatrix.ts';
import {
  bipartiteModulation,
  drawTeacher,
  exactCurveFromPrepared,
  gradientDescentLoop,
  logSpace,
  prepareExactCurve,
  spectrumOfGram,
  studentInputs,
  type Modulation,
} from '../nodes/teacher-student/compute.ts';
import { benchRow, printTable, type BenchRow } from './table.ts';

const PYTHON = '/usr/bin/python3';
const PEER = fileURLToPath(new URL('./peers/teacher_student_numpy.py', import.meta.url));
const STEPS = 10_000;

interface Case {
  readonly name: string;
  readonly n: number;
  readonly d: number;
  readonly p: number;
  /** repetitions (median) on our side; the JS backend at d = 1000 runs once */
  readonly reps: number;
}

const CASES: readonly Case[] = [
  { name: 'd100', n: 150, d: 100, p: 50, reps: 5 },
  { name: 'd1000', n: 1500, d: 1000, p: 500, reps: 1 },
];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function timeIt(fn: () => void, reps: number): number {
  fn(); // warm-up (JIT) — also what numpy's side does
  const times: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    fn();
    times.push((performance.now() - t0) / 1000);
  }
  return median(times);
}

interface Inputs {
  readonly X: ReturnType<typeof studentInputs>;
  readonly y: Float64Array;
  readonly modulation: Modulation;
}

function makeInputs(c: Case, linalg: Linalg): Inputs {
  const random = randomSourceFromSeed(`bench/teacher-student/${c.name}`);
  const teacher = drawTeacher({ n: c.n, d: c.d, sigma: 0, nTest: 1 }, random.fork('teacher'), linalg);
  const modulation = bipartiteModulation(c.d, c.p, 50, random.fork('F'), linalg);
  return { X: studentInputs(teacher.Z, modulation.F, linalg), y: teacher.y, modulation };
}

const ts = logSpace(-3, 6, 200);

/** Where the time of one exact-curve evaluation goes, stage by stage. */
function exactCurveStages(inp: Inputs, linalg: Linalg): Record<string, number> {
  const t0 = performance.now();
  const G = linalg.gemm(inp.X, inp.X, { transA: true });
  const t1 = performance.now();
  const spec = spectrumOfGram(G, { lambda: 0 }, linalg);
  const t2 = performance.now();
  const prep = prepareExactCurve(spec, inp.modulation, linalg);
  const t3 = performance.now();
  exactCurveFromPrepared(prep, ts, 0);
  const t4 = performance.now();
  return { xtx: (t1 - t0) / 1000, eigh: (t2 - t1) / 1000, p: (t3 - t2) / 1000, t: (t4 - t3) / 1000 };
}

/** the profile stages, keyed as the numpy peer reports them */
const STAGES: Record<string, string> = {
  xtx: 'XᵀX (AᵀA)',
  eigh: 'eigh',
  p: 'P, P⁻¹, P∘P⁻¹ (3 products, 2 of them AᵀA)',
  t: '200 t (ours: H·(P∘P⁻¹), one product; numpy: a loop of h @ H @ h)',
};

/** median over `reps` of each stage (after one warm-up pass when repeating: the slow JS path runs once) */
function exactCurveProfile(inp: Inputs, linalg: Linalg, reps: number): Record<string, number> {
  if (reps > 1) exactCurveStages(inp, linalg);
  const runs = Array.from({ length: reps }, () => exactCurveStages(inp, linalg));
  return Object.fromEntries(Object.keys(STAGES).map((k) => [k, median(runs.map((r) => r[k]!))]));
}

function exactCurveOnce(inp: Inputs, linalg: Linalg): { R: Float64Array; Q: Float64Array } {
  const spec = spectrumOfGram(linalg.gemm(inp.X, inp.X, { transA: true }), { lambda: 0 }, linalg);
  return exactCurveFromPrepared(prepareExactCurve(spec, inp.modulation, linalg), ts, 0);
}

function gdOnce(G: ReturnType<typeof mat>, xty: Float64Array, eta: number, linalg: Linalg): void {
  gradientDescentLoop({ gram: G, xty, eta, lambda: 0, steps: STEPS }, linalg);
}

async function backends(): Promise<Linalg[]> {
  const out: Linalg[] = [mlMatrixLinalg];
  try {
    const { load } = await import('../compute/linalg-native.ts');
    out.unshift(await load());
  } catch {
    // the native addon is optional; ml-matrix is always there
  }
  return out;
}

function runPeer(dir: string): Record<string, unknown> | string {
  const r = spawnSync(PYTHON, [PEER, dir], { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: process.env.OMP_NUM_THREADS ?? '1', OPENBLAS_NUM_THREADS: process.env.OPENBLAS_NUM_THREADS ?? '1' } });
  if (r.status !== 0) return `numpy peer failed: ${(r.stderr || r.error?.message || '').trim().split('\n').pop()}`;
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

export async function benchTeacherStudent(): Promise<BenchRow[]> {
  const impls = await backends();
  const rows: BenchRow[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'ff-bench-ts-'));
  try {
    const inputs = new Map<string, Inputs>();
    for (const c of CASES) {
      const inp = makeInputs(c, impls[0]!);
      inputs.set(c.name, inp);
      const raw = (name: string, a: Float64Array) => writeFileSync(join(dir, `${c.name}_${name}.f64`), new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
      raw('X', inp.X.data);
      raw('y', inp.y);
      raw('s', inp.modulation.singularValues);
      raw('W', inp.modulation.rightVectors.data);
    }
    writeFileSync(join(dir, 'cases.json'), JSON.stringify(CASES.map((c) => ({ ...c, steps: STEPS, reps: c.d >= 1000 ? 3 : 31 }))));
    const peer = runPeer(dir);
    const peerName = typeof peer === 'string' ? 'numpy' : `numpy ${String(peer.numpy)} (1 thread)`;
    const peerTime = (key: string) => (typeof peer === 'string' ? null : typeof peer[key] === 'number' ? (peer[key] as number) : null);
    for (const c of CASES) {
      const inp = inputs.get(c.name)!;
      const size = `(d,p,n)=(${c.d},${c.p},${c.n})`;
      for (const linalg of impls) {
        // a few-ms case needs many repetitions for a stable median; numpy's side runs as many
        const reps = linalg.name === 'ml-matrix' ? c.reps : c.d >= 1000 ? 5 : 31;
        const curve = exactCurveOnce(inp, linalg);
        const check = typeof peer === 'string' ? undefined : (peer[`${c.name}/check`] as number[] | undefined);
        const agree = check ? `R,Q at t[100] vs numpy: ${Math.abs(curve.R[100]! - check[0]!).toExponential(1)}, ${Math.abs(curve.Q[100]! - check[1]!).toExponential(1)}` : undefined;
        rows.push(benchRow('teacher-student', `exact curve, 200 t, ${size} [${linalg.name}]`, timeIt(() => exactCurveOnce(inp, linalg), reps), peerName, peerTime(`${c.name}/exact`), agree));
        const G = linalg.gemm(inp.X, inp.X, { transA: true });
        const xty = linalg.gemm(inp.X, mat(c.n, 1, inp.y), { transA: true }).data;
        const eta = 1 / linalg.eighSym(G).values[c.d - 1]!;
        rows.push(benchRow('teacher-student', `${STEPS} explicit GD steps, ${size} [${linalg.name}]`, timeIt(() => gdOnce(G, xty, eta, linalg), linalg.name === 'ml-matrix' ? c.reps : c.d >= 1000 ? 3 : 31), peerName, peerTime(`${c.name}/gd`)));
        for (const [stage, s] of Object.entries(exactCurveProfile(inp, linalg, linalg.name === 'ml-matrix' ? 1 : reps))) {
          rows.push(benchRow('teacher-student', `  profile ${c.name} exact curve [${linalg.name}]: ${STAGES[stage]}`, s, peerName, peerTime(`${c.name}/stage/${stage}`)));
        }
      }
    }
    if (typeof peer === 'string') rows.push(benchRow('teacher-student', 'numpy peer', Number.NaN, 'numpy', null, peer));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  printTable(await benchTeacherStudent());
}
