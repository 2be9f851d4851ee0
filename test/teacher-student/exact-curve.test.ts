import { describe, it, expect } from 'vitest';
import { mat, type Mat } from '../../engine/compute/matrix.ts';
import {
  alignmentAndNorm,
  bipartiteModulation,
  drawBipartiteSetup,
  exactCurve,
  exactCurveFromPrepared,
  exactPoint,
  gdGains,
  gramSpectrum,
  learnedFraction,
  prepareExactCurve,
  studentInputs,
  targetsInEigenbasis,
} from '../../nodes/teacher-student/compute.ts';
import { linalg, rng } from './helpers.ts';

/**
 * For a fixed X and F, the teacher-averaged R(t), Q(t) of eqs. 4.2.9–4.2.10 must match the mean
 * over fresh teachers (w, ε) of the R, Q measured on closed-form GD.
 */
function simulatedMoments(o: { n: number; d: number; p: number; kappa: number; sigma: number; lambda: number; draws: number; ts: number[] }) {
  const random = rng(`moments-${o.n}-${o.sigma}-${o.lambda}`);
  const { X, modulation, teacher } = drawBipartiteSetup({ n: o.n, d: o.d, p: o.p, kappa: o.kappa, sigma: 0, nTest: 1 }, random.fork('fixed'), linalg);
  const spec = gramSpectrum(X, { lambda: o.lambda }, linalg);
  const prep = prepareExactCurve(spec, modulation, linalg);
  const gains = o.ts.map((t) => gdGains(spec, t));
  const sums = o.ts.map(() => ({ R: 0, R2: 0, Q: 0, Q2: 0 }));
  const teachers = random.fork('teachers');
  for (let k = 0; k < o.draws; k++) {
    const w = teachers.fillNormal(new Float64Array(o.d));
    const y = linalg.gemm(teacher.Z, mat(o.d, 1, w)).data;
    if (o.sigma > 0) for (let i = 0; i < o.n; i++) y[i]! += o.sigma * teachers.normal();
    const c = targetsInEigenbasis(spec, X, y, linalg);
    o.ts.forEach((_, i) => {
      const z = c.map((v, j) => v * gains[i]![j]!);
      const wHat = linalg.gemm(spec.V, mat(o.d, 1, z)).data;
      const { R, Q } = alignmentAndNorm(modulation.F, wHat, w, linalg);
      const s = sums[i]!;
      s.R += R; s.R2 += R * R; s.Q += Q; s.Q2 += Q * Q;
    });
  }
  return o.ts.map((t, i) => {
    const s = sums[i]!, n = o.draws;
    const se = (sum: number, sq: number) => Math.sqrt(Math.max(0, sq / n - (sum / n) ** 2) / (n - 1));
    return { t, exact: exactPoint(prep, t, o.sigma), R: s.R / n, Q: s.Q / n, seR: se(s.R, s.R2), seQ: se(s.Q, s.Q2) };
  });
}

/** Tr(AᵀA)/d with A = F̃ D J F̃⁻¹ formed explicitly (O(d³) per t): the textbook form of eq. 4.2.10. */
function directQ(X: Mat, F: Mat, lambda: number, t: number): number {
  const spec = gramSpectrum(X, { lambda }, linalg);
  const d = spec.d;
  const Ft = linalg.gemm(F, spec.V);
  const h = Float64Array.from(spec.values, (l, j) => (learnedFraction(spec.x[j]!, t) * l) / (l + lambda));
  const FtH = mat(d, d, Ft.data.map((v, idx) => v * h[idx % d]!));
  const A = linalg.gemm(FtH, linalg.solve(Ft, mat(d, d, eye(d))));
  let s = 0;
  for (const v of A.data) s += v * v;
  return s / d;
}

function eye(d: number): Float64Array {
  const e = new Float64Array(d * d);
  for (let i = 0; i < d; i++) e[i * d + i] = 1;
  return e;
}

describe('exact general-case R(t), Q(t) (eqs. 4.2.9–4.2.10 with σ, λ)', () => {
  const cases = [
    { name: 'σ = λ = 0, n > d = 100', n: 150, d: 100, p: 50, kappa: 20, sigma: 0, lambda: 0 },
    { name: 'σ = 0.5, λ = 0.02, n > d', n: 150, d: 60, p: 30, kappa: 20, sigma: 0.5, lambda: 0.02 },
    { name: 'σ = 0.3, λ = 0, n < d', n: 45, d: 60, p: 30, kappa: 5, sigma: 0.3, lambda: 0 },
  ];
  for (const c of cases) {
    it(`agrees with the mean over 200 teacher draws within 3 standard errors at t ∈ {10, 100, 1000} (${c.name})`, () => {
      for (const r of simulatedMoments({ ...c, draws: 200, ts: [10, 100, 1000] })) {
        expect(Math.abs(r.R - r.exact.R)).toBeLessThan(3 * r.seR);
        expect(Math.abs(r.Q - r.exact.Q)).toBeLessThan(3 * r.seQ);
      }
    });
  }

  it('the O(d²)-per-t Hadamard form equals the explicit Tr(AᵀA) form, also at κ = 1e5', () => {
    for (const kappa of [3, 1e5]) {
      const random = rng(`direct-${kappa}`);
      const modulation = bipartiteModulation(30, 12, kappa, random.fork('F'), linalg);
      const Z = mat(50, 30, random.fork('Z').fillNormal(new Float64Array(1500), 0, 1 / Math.sqrt(30)));
      const X = studentInputs(Z, modulation.F, linalg);
      const spec = gramSpectrum(X, { lambda: 0 }, linalg);
      const prep = prepareExactCurve(spec, modulation, linalg);
      for (const t of [1, 100, 1e6]) {
        const fast = exactPoint(prep, t, 0).Q;
        expect(Math.abs(fast - directQ(X, modulation.F, 0, t)) / Math.abs(fast)).toBeLessThan(1e-7);
      }
    }
  });

  it('a whole curve (quadratic forms batched 256 t at a time into one product) equals point-by-point evaluation', () => {
    const draw = drawBipartiteSetup({ n: 60, d: 30, p: 15, kappa: 20, sigma: 0, nTest: 1 }, rng('batched'), linalg);
    const prep = prepareExactCurve(gramSpectrum(draw.X, { lambda: 0.01 }, linalg), draw.modulation, linalg);
    const ts = Array.from({ length: 600 }, (_, i) => 10 ** (-2 + (8 * i) / 599)); // crosses two batch boundaries
    const curve = exactCurveFromPrepared(prep, ts, 0.3);
    for (const i of [0, 255, 256, 511, 512, 599]) {
      const point = exactPoint(prep, ts[i]!, 0.3);
      expect(curve.R[i]).toBe(point.R);
      expect(Math.abs(curve.Q[i]! - point.Q) / point.Q).toBeLessThan(1e-13);
    }
  });

  it('exactCurve() averages bipartite draws and accepts a given X and F', async () => {
    const ts = [1, 10, 100];
    const avg = await exactCurve({ n: 60, d: 30, p: 15, kappa: 10, sigma: 0, lambda: 0, ts, seeds: 2, linalg });
    expect(Array.from(avg.t)).toEqual(ts);
    expect(avg.EG.every((v) => v > 0 && v < 1)).toBe(true);
    const draw = drawBipartiteSetup({ n: 60, d: 30, p: 15, kappa: 10, sigma: 0, nTest: 1 }, rng('given'), linalg);
    const given = await exactCurve({ X: draw.X, F: draw.modulation.F, sigma: 0, lambda: 0, ts, linalg });
    expect(given.R.length).toBe(3);
    expect(given.R[2]!).toBeGreaterThan(given.R[0]!);
  });
});
