/**
 * The fused native GD kernel and the dsyrk Gram product agree with the JS path: quadraticGdSteps
 * to 1e-9 relative after 10,000 steps (plain, with a per-step scale, with Langevin noise), the GD
 * loop of the teacher–student study end to end, and AᵀA / AAᵀ against dgemm on a copy.
 */
import { describe, expect, it } from 'vitest';
import { load as loadMlMatrix } from '../../compute/linalg-mlmatrix.ts';
import { load as loadNative } from '../../compute/linalg-native.ts';
import { mat, type Mat } from '../../engine/compute/matrix.ts';
import { randomSourceFromSeed } from '../../engine/random.ts';
import { drawBipartiteSetup, gradientDescentLoop, qPenaltySchedule, spectrumOfGram } from '../../nodes/teacher-student/compute.ts';
import { skipNative, skipTitle } from './native-available.ts';

function relativeError(a: Float64Array, b: Float64Array): number {
  let num = 0, den = 0;
  for (let i = 0; i < a.length; i++) {
    num += (a[i]! - b[i]!) ** 2;
    den += b[i]! ** 2;
  }
  return Math.sqrt(num / den);
}

function problem(seed: string, d: number) {
  const random = randomSourceFromSeed(seed);
  const X = mat(2 * d, d, random.fillNormal(new Float64Array(2 * d * d)));
  const A = mat(d, d, new Float64Array(d * d));
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) for (let k = 0; k < 2 * d; k++) A.data[i * d + j]! += X.data[k * d + i]! * X.data[k * d + j]!;
  const b = random.fillNormal(new Float64Array(d));
  let top = 0;
  for (let i = 0; i < d; i++) top = Math.max(top, A.data[i * d + i]!);
  return { A, b, eta: 0.5 / (d * top) }; // below 2/l_max: ‖A‖ ≤ trace ≤ d·max diag
}

describe.skipIf(skipNative)(`native quadraticGdSteps and dsyrk agree with the JS path${skipTitle}`, () => {
  it.each([
    { name: 'plain', scaled: false, noisy: false },
    { name: 'per-step scales', scaled: true, noisy: false },
    { name: 'Langevin noise', scaled: false, noisy: true },
  ])('10,000 steps, d = 60: $name, to 1e-9 relative', async ({ scaled, noisy }) => {
    const [js, native] = [await loadMlMatrix(), await loadNative()];
    const { A, b, eta } = problem('qgd', 60);
    const steps = 10_000;
    const scales = scaled ? Float64Array.from({ length: steps }, (_, i) => 1 + 0.6 * Math.exp(-i / 1000)) : undefined;
    const noise = noisy ? randomSourceFromSeed('xi').fillNormal(new Float64Array(steps * 60), 0, 1e-3) : undefined;
    const wJs = new Float64Array(60), wNative = new Float64Array(60);
    js.quadraticGdSteps(A, b, wJs, { eta, lambda: 0.01, steps, scales, noise });
    native.quadraticGdSteps(A, b, wNative, { eta, lambda: 0.01, steps, scales, noise });
    expect(wNative.every(Number.isFinite)).toBe(true);
    expect(Math.hypot(...wNative)).toBeGreaterThan(0.1); // it moved
    expect(relativeError(wNative, wJs)).toBeLessThan(1e-9);
  });

  it('reads only the upper triangle of A, on both backends (garbage below the diagonal changes nothing)', async () => {
    const [js, native] = [await loadMlMatrix(), await loadNative()];
    const { A, b, eta } = problem('upper', 40);
    const skewed = mat(40, 40, Float64Array.from(A.data, (v, k) => (Math.floor(k / 40) > k % 40 ? v + 1000 : v)));
    const reference = new Float64Array(40);
    js.quadraticGdSteps(A, b, reference, { eta, lambda: 0, steps: 300 });
    for (const linalg of [js, native]) {
      const w = new Float64Array(40);
      linalg.quadraticGdSteps(skewed, b, w, { eta, lambda: 0, steps: 300 });
      expect(relativeError(w, reference)).toBeLessThan(1e-12);
    }
  });

  it('the teacher–student GD loop (Q-penalty schedule, recorded steps) agrees across backends to 1e-9', async () => {
    const [js, native] = [await loadMlMatrix(), await loadNative()];
    const draw = drawBipartiteSetup({ n: 150, d: 100, p: 50, kappa: 20, sigma: 0.1, nTest: 1 }, randomSourceFromSeed('loop'), js);
    const gram = js.gemm(draw.X, draw.X, { transA: true });
    const xty = js.gemm(draw.X, mat(150, 1, draw.teacher.y), { transA: true }).data;
    const eta = spectrumOfGram(gram, { lambda: 0 }, js).eta;
    const run = (linalg: typeof js) => {
      const seen: Float64Array[] = [];
      const w = gradientDescentLoop({ gram, xty, eta, lambda: 0, steps: 5000, alpha: qPenaltySchedule(0.6), record: [0, 1, 10, 777, 5000], onRecord: (_, w) => seen.push(Float64Array.from(w)) }, linalg);
      return { w, seen };
    };
    const a = run(js), b = run(native);
    expect(b.seen).toHaveLength(5);
    expect(relativeError(b.w, a.w)).toBeLessThan(1e-9);
    for (let i = 1; i < 5; i++) expect(relativeError(b.seen[i]!, a.seen[i]!)).toBeLessThan(1e-9);
  });

  it('gemm(A, A) with one transposed runs as dsyrk: exactly symmetric, equal to dgemm on a copy', async () => {
    const native = await loadNative();
    const A = mat(70, 40, randomSourceFromSeed('syrk').fillNormal(new Float64Array(2800)));
    const copy: Mat = mat(70, 40, Float64Array.from(A.data));
    for (const [transA, transB, n] of [[true, false, 40], [false, true, 70]] as const) {
      const gram = native.gemm(A, A, { transA, transB });
      const viaGemm = native.gemm(A, copy, { transA, transB });
      const viaAsync = await native.async.gemm(A, A, { transA, transB });
      expect([gram.rows, gram.cols]).toEqual([n, n]);
      for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) expect(gram.data[i * n + j]).toBe(gram.data[j * n + i]);
      expect(relativeError(gram.data, viaGemm.data)).toBeLessThan(1e-14);
      expect([...viaAsync.data]).toEqual([...gram.data]);
    }
  });
});

describe('quadraticGdSteps rejects bad input on every backend, naming the argument', () => {
  async function expectRejections(linalg: Awaited<ReturnType<typeof loadMlMatrix>>) {
    const A = mat(3, 3, Float64Array.from([2, 0, 0, 0, 2, 0, 0, 0, 2]));
    const b = new Float64Array(3).fill(1);
    const o = { eta: 0.1, lambda: 0, steps: 2 };
    expect(() => linalg.quadraticGdSteps(mat(3, 2, new Float64Array(6)), b, new Float64Array(3), o)).toThrow(/square/);
    expect(() => linalg.quadraticGdSteps(A, new Float64Array(2), new Float64Array(3), o)).toThrow(/b has length 2/);
    expect(() => linalg.quadraticGdSteps(A, b, Float64Array.from([0, NaN, 0]), o)).toThrow(/w has a non-finite value \(nan\) at index 1/i);
    expect(() => linalg.quadraticGdSteps(A, b, new Float64Array(3), { ...o, steps: 1.5 })).toThrow(/steps must be an integer/);
    expect(() => linalg.quadraticGdSteps(A, b, new Float64Array(3), { ...o, noise: new Float64Array(5) })).toThrow(/noise has length 5/);
  }
  it('ml-matrix (pure JS)', async () => expectRejections(await loadMlMatrix()));
  it.skipIf(skipNative)(`native${skipTitle}`, async () => expectRejections(await loadNative()));
});
