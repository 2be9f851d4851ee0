/**
 * The two-layer study's fused first-layer GD kernel (compute/extensions/first-layer-gd.ts,
 * native/src/two_layer.c): the native stretch of steps gives the JS reference's bits for sigmoid
 * (including pre-activations past the vectorised exp's range, |u| ≥ 700 and |u| < 2⁻²⁸) and
 * identity, and agrees with it to 1e-12 relative for tanh (libm's tanh, not V8's); the kernel is
 * chosen by backend and activation; bad input is refused before W is touched.
 */
import { describe, expect, it } from 'vitest';
import { firstLayerGdKernel, firstLayerGdStepsJs } from '../../compute/extensions/first-layer-gd.ts';
import { load as loadMlMatrix } from '../../compute/linalg-mlmatrix.ts';
import { load as loadNative } from '../../compute/linalg-native.ts';
import type { Linalg } from '../../engine/compute/linalg.ts';
import { mat, type Mat } from '../../engine/compute/matrix.ts';
import { randomSourceFromSeed } from '../../engine/random.ts';
import { ACTIVATIONS, type ActivationName } from '../../nodes/two-layer/activations.ts';
import { addon, skipNative, skipTitle } from './native-available.ts';

const { NativeInputError } = (await import('../../native/load.ts')).native;

/** n×d data, a teacher's labels, and W whose column i is scaled by colScale(i) */
function problem(seed: string, n: number, d: number, h: number, colScale: (i: number) => number) {
  const random = randomSourceFromSeed(seed);
  const X = mat(n, d, random.fillNormal(new Float64Array(n * d)));
  const y = random.fillNormal(new Float64Array(n));
  const W = mat(d, h, random.fillNormal(new Float64Array(d * h)));
  for (let k = 0; k < d; k++) for (let i = 0; i < h; i++) W.data[k * h + i]! *= colScale(i) / Math.sqrt(d);
  const a = Float64Array.from({ length: h }, (_, i) => (i % 2 ? 1 : -1) / Math.sqrt(h));
  return { X, y, W, a };
}

const copy = (W: Mat) => mat(W.rows, W.cols, Float64Array.from(W.data));

function relativeError(a: Float64Array, b: Float64Array): number {
  let num = 0, den = 0;
  for (let i = 0; i < a.length; i++) {
    num += (a[i]! - b[i]!) ** 2;
    den += b[i]! ** 2;
  }
  return Math.sqrt(num / den);
}

describe.skipIf(skipNative)(`native firstLayerGdSteps agrees with the JS reference${skipTitle}`, () => {
  it.each([
    { act: 'sigmoid', columns: 'unit', scale: () => 1, eta: 2, steps: 400 },
    // tiny (|u| < 2⁻²⁸), ordinary and saturated (|u| ≥ 700) pre-activations in one run
    { act: 'sigmoid', columns: 'scaled 1e-9 … 1e4', scale: (i: number) => 10 ** ((i % 14) - 9), eta: 0.5, steps: 50 },
    { act: 'identity', columns: 'unit', scale: () => 1, eta: 0.05, steps: 400 },
  ] as const)('$act, $columns columns: the same bits', async ({ act, scale, eta, steps }) => {
    const native = await loadNative();
    const p = problem(`flgd-${act}`, 60, 30, 28, scale);
    const Wjs = copy(p.W), Wnative = copy(p.W);
    const lossJs = firstLayerGdStepsJs(native, p.X, p.y, p.a, Wjs, { eta, steps, activation: ACTIVATIONS[act] });
    const lossNative = native.firstLayerGdSteps(p.X, p.y, p.a, Wnative, eta, steps, act);
    expect(relativeError(Wnative.data, p.W.data)).toBeGreaterThan(1e-5); // it moved
    expect(lossNative).toBe(lossJs);
    expect(Buffer.from(Wnative.data.buffer).equals(Buffer.from(Wjs.data.buffer))).toBe(true);
  });

  it('tanh: libm against V8, to 1e-12 relative after 400 steps', async () => {
    const native = await loadNative();
    const p = problem('flgd-tanh', 60, 30, 28, () => 1);
    const Wjs = copy(p.W), Wnative = copy(p.W);
    firstLayerGdStepsJs(native, p.X, p.y, p.a, Wjs, { eta: 1, steps: 400, activation: ACTIVATIONS.tanh });
    native.firstLayerGdSteps(p.X, p.y, p.a, Wnative, 1, 400, 'tanh');
    expect(relativeError(Wnative.data, p.W.data)).toBeGreaterThan(1e-3);
    expect(relativeError(Wnative.data, Wjs.data)).toBeLessThan(1e-12);
  });

  it('firstLayerGdKernel runs native for the named smooth activations and the JS reference otherwise', async () => {
    const native = await loadNative();
    const calls: string[] = [];
    const spy: Linalg = { ...native, firstLayerGdSteps: (...args: Parameters<typeof native.firstLayerGdSteps>) => (calls.push(args[6]), native.firstLayerGdSteps(...args)) } as Linalg;
    const p = problem('flgd-choice', 20, 10, 8, () => 1);
    for (const name of ['sigmoid', 'tanh', 'identity', 'relu'] as ActivationName[]) {
      const W = copy(p.W), Wref = copy(p.W);
      firstLayerGdKernel(spy)(p.X, p.y, p.a, W, { eta: 0.1, steps: 5, activation: ACTIVATIONS[name] });
      firstLayerGdStepsJs(native, p.X, p.y, p.a, Wref, { eta: 0.1, steps: 5, activation: ACTIVATIONS[name] });
      expect(relativeError(W.data, Wref.data)).toBeLessThan(1e-12);
    }
    expect(calls).toEqual(['sigmoid', 'tanh', 'identity']);
    // a backend without the kernel runs the reference on its own gemm
    const js = await loadMlMatrix();
    const W = copy(p.W);
    expect(Number.isFinite(firstLayerGdKernel(js)(p.X, p.y, p.a, W, { eta: 0.1, steps: 5, activation: ACTIVATIONS.sigmoid }))).toBe(true);
  });
});

describe.skipIf(skipNative)(`native firstLayerGdSteps input validation${skipTitle}`, () => {
  const p = problem('flgd-safety', 4, 3, 2, () => 1);
  const W = () => copy(p.W);

  it('names the argument and the fix for shapes, types, numbers and the activation', () => {
    const a = addon();
    expect(() => a.firstLayerGdSteps(p.X, p.y, p.a, mat(4, 2), 0.1, 1, 'sigmoid')).toThrow(/X is 4×3, so W needs 3 rows, got 4×2/);
    expect(() => a.firstLayerGdSteps(p.X, new Float64Array(5), p.a, W(), 0.1, 1, 'sigmoid')).toThrow(/y has length 5, expected 4/);
    expect(() => a.firstLayerGdSteps(p.X, p.y, new Float64Array(3), W(), 0.1, 1, 'sigmoid')).toThrow(/a has length 3, expected 2/);
    expect(() => a.firstLayerGdSteps(p.X, new Float32Array(4) as unknown as Float64Array, p.a, W(), 0.1, 1, 'sigmoid')).toThrow(/y must be a Float64Array/);
    expect(() => a.firstLayerGdSteps(p.X, Float64Array.from([0, NaN, 0, 0]), p.a, W(), 0.1, 1, 'sigmoid')).toThrow(/y has a non-finite value .* at index 1/);
    const bad = W();
    bad.data[5] = Infinity;
    expect(() => a.firstLayerGdSteps(p.X, p.y, p.a, bad, 0.1, 1, 'sigmoid')).toThrow(/W.data has a non-finite value/);
    expect(() => a.firstLayerGdSteps(p.X, p.y, p.a, W(), NaN, 1, 'sigmoid')).toThrow(/eta must be finite/);
    expect(() => a.firstLayerGdSteps(p.X, p.y, p.a, W(), 0.1, 2.5, 'sigmoid')).toThrow(/steps must be an integer/);
    expect(() => a.firstLayerGdSteps(p.X, p.y, p.a, W(), 0.1, -1, 'sigmoid')).toThrow(/steps must be an integer/);
    expect(() => a.firstLayerGdSteps(p.X, p.y, p.a, W(), 0.1, 1, 'relu' as 'sigmoid')).toThrow(/activation must be sigmoid, tanh or identity, got "relu"/);
    expect(() => a.firstLayerGdSteps(p.X, p.y, p.a, W(), 0.1, 1, 3 as unknown as 'sigmoid')).toThrow(/activation must be a string/);
    expect(() => a.firstLayerGdSteps(null as unknown as Mat, p.y, p.a, W(), 0.1, 1, 'sigmoid')).toThrow(/X must be a matrix object/);
    expect(() => (a.firstLayerGdSteps as (...x: unknown[]) => number)(p.X, p.y, p.a, W())).toThrow(/needs \(X, y, a, W, eta, steps, activation\)/);
    expect(() => a.firstLayerGdSteps(p.X, p.y, p.a, W(), 0.1, 1, 'sigmoid')).not.toThrow();
  });

  it('refuses a W that shares memory with X, y or a (it is written in place)', () => {
    const a = addon();
    const buffer = new Float64Array(12 + 6);
    buffer.set(p.X.data);
    const X = mat(4, 3, buffer.subarray(0, 12));
    const overlapping = mat(3, 2, buffer.subarray(8, 14));
    expect(() => a.firstLayerGdSteps(X, p.y, p.a, overlapping, 0.1, 1, 'sigmoid')).toThrow(/W.data shares memory with X, y or a; pass a copy/);
    expect(() => a.firstLayerGdSteps(X, p.y, p.a, mat(3, 2, buffer.subarray(12, 18)), 0.1, 1, 'sigmoid')).not.toThrow();
  });

  it('a refused call leaves W untouched; zero steps is a no-op returning NaN', () => {
    const a = addon();
    const kept = W();
    const before = Float64Array.from(kept.data);
    expect(() => a.firstLayerGdSteps(p.X, new Float64Array(1), p.a, kept, 0.1, 3, 'sigmoid')).toThrow(NativeInputError);
    expect(a.firstLayerGdSteps(p.X, p.y, p.a, kept, 0.1, 0, 'sigmoid')).toBeNaN();
    expect([...kept.data]).toEqual([...before]);
  });

  it('reads getters before taking pointers: a getter that detaches y is refused, not read', () => {
    const a = addon();
    const y = Float64Array.from(p.y);
    const X = { rows: 4, cols: 3, get data() { structuredClone(y.buffer, { transfer: [y.buffer] }); return p.X.data; } };
    expect(() => a.firstLayerGdSteps(X, y, p.a, W(), 0.1, 1, 'sigmoid')).toThrow(/y .*detached|y has length 0/);
  });
});
