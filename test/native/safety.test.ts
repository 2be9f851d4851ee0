/**
 * Every native entry point rejects bad input with a named error before touching memory: wrong
 * shapes, wrong array types, NaN/Infinity, zero-size, sizes past 32-bit LAPACK indexing, label
 * and index ranges, stale or forged trainer handles. LAPACK failures raise NativeLapackError.
 */
import { describe, expect, it } from 'vitest';
import { native, type NativeMat } from '../../native/load.ts';
import { addon, skipNative, skipTitle } from './native-available.ts';

const { NativeInputError, NativeLapackError, NativeStateError, NativeError } = native;
const m = (rows: number, cols: number, data: ArrayLike<number> = new Float64Array(rows * cols).fill(1)): NativeMat =>
  ({ rows, cols, data: data instanceof Float64Array ? data : Float64Array.from(data) });
const eye = (n: number) => m(n, n, Float64Array.from({ length: n * n }, (_, k) => (k % (n + 1) === 0 ? 1 : 0)));

function tinyNet() {
  const a = addon();
  const h = a.mlpCreate(Int32Array.from([3, 4, 2]), [new Float32Array(12).fill(0.1), new Float32Array(8).fill(0.1)], [new Float32Array(4), new Float32Array(2)], 'softmax-cross-entropy');
  return { a, h };
}

describe.skipIf(skipNative)(`native input validation${skipTitle}`, () => {
  it('names its errors: subclasses of NativeError and Error', () => {
    expect(() => addon().eighSym(m(2, 3))).toThrow(NativeInputError);
    try {
      addon().eighSym(m(2, 3));
    } catch (e) {
      expect(e).toBeInstanceOf(NativeError);
      expect(e).toBeInstanceOf(Error);
      expect((e as Error).name).toBe('NativeInputError');
      expect((e as Error).message).toContain('square');
    }
  });

  it('rejects wrong shapes for every operation', () => {
    const a = addon();
    expect(() => a.eighSym(m(3, 2))).toThrow(/square/);
    expect(() => a.solve(m(3, 2), m(3, 1))).toThrow(/square/);
    expect(() => a.solve(eye(3), m(2, 1))).toThrow(/B has 2 rows, A has 3/);
    expect(() => a.lstsq(m(3, 2), m(4, 1))).toThrow(NativeInputError);
    expect(() => a.gemm(m(2, 3), m(2, 3))).toThrow(/gemm/);
    expect(() => a.gemm(m(2, 3), m(2, 3), true, false)).not.toThrow();
    expect(() => a.sgemm({ rows: 2, cols: 2, data: new Float32Array(4) }, { rows: 3, cols: 2, data: new Float32Array(6) })).toThrow(NativeInputError);
  });

  it('rejects a data array whose length does not match rows × cols, or of the wrong type', () => {
    const a = addon();
    expect(() => a.eighSym({ rows: 3, cols: 3, data: new Float64Array(8) })).toThrow(/length 8, expected 9/);
    expect(() => a.pinv({ rows: 3, cols: 3, data: new Float32Array(9) } as unknown as NativeMat)).toThrow(/Float64Array/);
    expect(() => a.pinv({ rows: 3, cols: 3, data: [1, 2, 3, 4, 5, 6, 7, 8, 9] } as unknown as NativeMat)).toThrow(/Float64Array/);
    expect(() => a.qr(null as unknown as NativeMat)).toThrow(/matrix object/);
    expect(() => a.qr({ rows: 2.5, cols: 2, data: new Float64Array(5) })).toThrow(/integer/);
    expect(() => a.qr({ rows: '2', cols: 2, data: new Float64Array(4) } as unknown as NativeMat)).toThrow(/number/);
    expect(() => a.svd(m(2, 2), 'yes' as unknown as boolean)).toThrow(/thin must be a boolean/);
  });

  it('rejects NaN and ±Infinity anywhere in an input', () => {
    const a = addon();
    for (const bad of [NaN, Infinity, -Infinity]) {
      const x = eye(4);
      x.data[7] = bad;
      expect(() => a.eighSym(x)).toThrow(/non-finite value .* at index 7/);
      expect(() => a.solve(eye(4), m(4, 1, [1, 2, bad, 4]))).toThrow(/B.data has a non-finite/);
      expect(() => a.gemm(x, eye(4))).toThrow(NativeInputError);
    }
  });

  it('rejects zero-size and huge matrices before allocating anything', () => {
    const a = addon();
    expect(() => a.eighSym(m(0, 0, new Float64Array(0)))).toThrow(/empty matrices/);
    expect(() => a.svd({ rows: 3, cols: 0, data: new Float64Array(0) })).toThrow(/cols must be an integer/);
    expect(() => a.svd({ rows: 1e6, cols: 1e6, data: new Float64Array(4) })).toThrow(/more than 2\^31 - 1 elements/);
    expect(() => a.gemm({ rows: 2 ** 31, cols: 1, data: new Float64Array(4) }, eye(1))).toThrow(/\[1, 2\^31 - 1\]/);
    expect(() => a.gemm({ rows: 50000, cols: 1, data: new Float64Array(50000) }, { rows: 1, cols: 50000, data: new Float64Array(50000) })).toThrow(
      /product has more than 2\^31 - 1/,
    );
  });

  it('quadraticGdSteps: validates A, b, w, the numbers, and the lengths of scales and noise', () => {
    const a = addon();
    const w = () => new Float64Array(3);
    const b = new Float64Array(3).fill(1);
    expect(() => a.quadraticGdSteps(m(3, 2), b, w(), 0.1, 0, 1)).toThrow(/square A, got 3×2/);
    expect(() => a.quadraticGdSteps(eye(3), new Float64Array(2), w(), 0.1, 0, 1)).toThrow(/b has length 2, expected 3/);
    expect(() => a.quadraticGdSteps(eye(3), b, new Float64Array(4), 0.1, 0, 1)).toThrow(/w has length 4, expected 3/);
    expect(() => a.quadraticGdSteps(eye(3), b, new Float32Array(3) as unknown as Float64Array, 0.1, 0, 1)).toThrow(/w must be a Float64Array/);
    expect(() => a.quadraticGdSteps(eye(3), Float64Array.from([1, NaN, 1]), w(), 0.1, 0, 1)).toThrow(/b has a non-finite value .* at index 1/);
    expect(() => a.quadraticGdSteps(eye(3), b, Float64Array.from([0, 0, Infinity]), 0.1, 0, 1)).toThrow(/w has a non-finite/);
    expect(() => a.quadraticGdSteps(eye(3), b, w(), NaN, 0, 1)).toThrow(/eta must be finite/);
    expect(() => a.quadraticGdSteps(eye(3), b, w(), 0.1, Infinity, 1)).toThrow(/lambda must be finite/);
    expect(() => a.quadraticGdSteps(eye(3), b, w(), 0.1, 0, 1.5)).toThrow(/steps must be an integer/);
    expect(() => a.quadraticGdSteps(eye(3), b, w(), 0.1, 0, -1)).toThrow(/steps must be an integer/);
    expect(() => a.quadraticGdSteps(eye(3), b, w(), 0.1, 0, 2, new Float64Array(3))).toThrow(/scales has length 3, expected 2/);
    expect(() => a.quadraticGdSteps(eye(3), b, w(), 0.1, 0, 2, null, new Float64Array(5))).toThrow(/noise has length 5, expected 6/);
    expect(() => a.quadraticGdSteps(eye(3), b, w(), 0.1, 0, 1, null, Float64Array.from([0, NaN, 0]))).toThrow(/noise has a non-finite/);
    expect(() => a.quadraticGdSteps(m(0, 0, new Float64Array(0)), new Float64Array(0), new Float64Array(0), 0.1, 0, 1)).toThrow(/empty matrices/);
    expect(() => a.quadraticGdSteps({ rows: 1e6, cols: 1e6, data: new Float64Array(4) }, b, w(), 0.1, 0, 1)).toThrow(/more than 2\^31 - 1 elements/);
    expect(() => a.quadraticGdSteps(eye(3), b, w(), 0.1, 0, 2 ** 40)).toThrow(/steps must be an integer in \[0, 2\^31 - 1\]/);
    // a rejected call leaves w untouched; zero steps is a no-op
    const kept = Float64Array.from([1, 2, 3]);
    expect(() => a.quadraticGdSteps(eye(3), b, kept, 0.1, 0, 2, new Float64Array(1))).toThrow(NativeInputError);
    a.quadraticGdSteps(eye(3), b, kept, 0.1, 0, 0);
    expect([...kept]).toEqual([1, 2, 3]);
  });

  it('rejects a non-symmetric matrix in eighSym', () => {
    expect(() => addon().eighSym(m(2, 2, [1, 2, 3, 4]))).toThrow(/symmetric/);
  });

  it('reports a singular system as NativeLapackError', () => {
    expect(() => addon().solve(m(2, 2, [1, 2, 2, 4]), m(2, 1, [1, 1]))).toThrow(NativeLapackError);
    expect(() => addon().solve(m(2, 2, [1, 2, 2, 4]), m(2, 1, [1, 1]))).toThrow(/singular/);
  });

  it('rejects bad async input synchronously and leaves no pending work', () => {
    expect(() => addon().eighSymAsync(m(2, 3))).toThrow(NativeInputError);
  });

  it('MLP: validates layer sizes, parameter arrays and the loss', () => {
    const a = addon();
    const w = [new Float32Array(12), new Float32Array(8)], b = [new Float32Array(4), new Float32Array(2)];
    expect(() => a.mlpCreate(Int32Array.from([3]), [], [], 'softmax-cross-entropy')).toThrow(/2 to 64/);
    expect(() => a.mlpCreate(Int32Array.from([3, 0, 2]), w, b, 'softmax-cross-entropy')).toThrow(/sizes\[1\] = 0/);
    expect(() => a.mlpCreate(Int32Array.from([3, 4, 2]), [w[0]!], b, 'softmax-cross-entropy')).toThrow(/weights must be an array of 2/);
    expect(() => a.mlpCreate(Int32Array.from([3, 4, 2]), [new Float32Array(11), w[1]!], b, 'softmax-cross-entropy')).toThrow(/weights\[0\] has length 11, expected 12/);
    expect(() => a.mlpCreate(Int32Array.from([3, 4, 2]), w, [b[0]!, new Float32Array([1, NaN])], 'softmax-cross-entropy')).toThrow(/biases\[1\] has a non-finite/);
    expect(() => a.mlpCreate(Int32Array.from([3, 4, 2]), w, b, 'mse' as 'bce-with-logits')).toThrow(/loss must be/);
    expect(() => a.mlpCreate(Int32Array.from([3, 4, 2]), w, b, 'bce-with-logits')).toThrow(/one output unit/);
  });

  it('MLP: validates batches, labels and step options', () => {
    const { a, h } = tinyNet();
    const x = new Float32Array(6), y = Int32Array.from([0, 1]);
    expect(() => a.mlpStep(h, new Float32Array(5), y, 0.1, 0, 'notebook')).toThrow(/x has length 5, expected 6/);
    expect(() => a.mlpStep(h, x, Int32Array.from([0, 2]), 0.1, 0, 'notebook')).toThrow(/label 2 at row 1 is outside \[0, 2\)/);
    expect(() => a.mlpStep(h, x, Int32Array.from([-1, 0]), 0.1, 0, 'notebook')).toThrow(NativeInputError);
    expect(() => a.mlpStep(h, new Float32Array(0), new Int32Array(0), 0.1, 0, 'notebook')).toThrow(/labels must hold 1/);
    expect(() => a.mlpStep(h, Float32Array.from([1, 2, NaN, 4, 5, 6]), y, 0.1, 0, 'notebook')).toThrow(/x has a non-finite value/);
    expect(() => a.mlpStep(h, x, y, NaN, 0, 'notebook')).toThrow(/lr must be finite/);
    expect(() => a.mlpStep(h, x, y, 0.1, -1, 'notebook')).toThrow(/l1 must be ≥ 0/);
    expect(() => a.mlpStep(h, x, y, 0.1, 0, 'sum' as 'notebook')).toThrow(/l1Form/);
    expect(() => a.mlpEvaluate(h, x, Int32Array.from([0, 5]))).toThrow(NativeInputError);
    expect(() => a.mlpEpoch(h, Int32Array.from([0]), 1, 0.1, 0, 'notebook', false)).toThrow(/mlpSetData first/);
    a.mlpSetData(h, x, y);
    expect(() => a.mlpEpoch(h, Int32Array.from([0, 2]), 1, 0.1, 0, 'notebook', false)).toThrow(/order\[1\] = 2 is outside the 2 held examples/);
    expect(() => a.mlpEpoch(h, Int32Array.from([0, 1]), 0, 0.1, 0, 'notebook', false)).toThrow(/batch must be an integer/);
    a.mlpDispose(h);
  });

  it('MLP: a disposed handle, a forged handle and a busy handle are rejected', async () => {
    const { a, h } = tinyNet();
    expect(() => a.mlpStep({} as never, new Float32Array(3), Int32Array.from([0]), 0.1, 0, 'notebook')).toThrow(/not an MLP trainer handle/);
    a.mlpSetData(h, new Float32Array(3 * 64), new Int32Array(64));
    const running = a.mlpEpoch(h, new Int32Array(64), 4, 0.1, 0, 'notebook', true);
    expect(() => a.mlpGetParams(h)).toThrow(NativeStateError);
    expect(() => a.mlpGetParams(h)).toThrow(/busy/);
    expect((await running).length).toBe(32);
    expect(() => a.mlpGetParams(h)).not.toThrow();
    a.mlpDispose(h);
    a.mlpDispose(h); // idempotent
    expect(() => a.mlpStep(h, new Float32Array(3), Int32Array.from([0]), 0.1, 0, 'notebook')).toThrow(/disposed/);
  });

  it('MLP: disposing while an epoch runs frees it afterwards and the epoch still resolves', async () => {
    const { a, h } = tinyNet();
    a.mlpSetData(h, new Float32Array(3 * 64), new Int32Array(64));
    const running = a.mlpEpoch(h, new Int32Array(64), 8, 0.1, 0, 'notebook', true);
    a.mlpDispose(h);
    expect((await running).length).toBe(16);
    expect(() => a.mlpGetParams(h)).toThrow(/disposed/);
  });
});

/** Detach `data`'s buffer (as a transfer to another thread would). */
function detach(data: ArrayBufferView): void {
  structuredClone(data.buffer, { transfer: [data.buffer as ArrayBuffer] });
}

describe.skipIf(skipNative)(`native: hostile arguments and memory bounds (issue 12, finding 9)${skipTitle}`, () => {
  const { NativeMemoryError } = native;

  it("gemm reads all of B's properties before taking A's data pointer: a getter that detaches A is an error, never a wrong result", async () => {
    const a = addon();
    for (const prop of ['data', 'rows', 'cols'] as const) {
      for (const call of [(x: NativeMat, y: NativeMat) => a.gemm(x, y), (x: NativeMat, y: NativeMat) => a.gemmAsync(x, y)]) {
        const A = m(2, 2, [1, 2, 3, 4]);
        const B: Record<string, unknown> = { rows: 2, cols: 2, data: Float64Array.from([1, 0, 0, 1]) };
        const value = B[prop];
        Object.defineProperty(B, prop, {
          get() {
            detach(A.data);
            return value;
          },
        });
        let outcome: unknown;
        try {
          outcome = await call(A, B as unknown as NativeMat);
        } catch (err) {
          outcome = err;
        }
        expect(outcome).toBeInstanceOf(NativeInputError);
        expect((outcome as Error).message).toMatch(/A\.data is detached/);
      }
    }
  });

  it('mlpCreate reads every weight and bias before taking any pointer: an element getter that detaches another is an error', () => {
    const a = addon();
    const w0 = new Float32Array(12).fill(0.1);
    const weights: Float32Array[] = [w0, new Float32Array(8)];
    Object.defineProperty(weights, 1, {
      get() {
        detach(w0);
        return new Float32Array(8);
      },
    });
    expect(() => a.mlpCreate(Int32Array.from([3, 4, 2]), weights, [new Float32Array(4), new Float32Array(2)], 'softmax-cross-entropy')).toThrow(/weights\[0\] is detached/);
  });

  it('a full SVD of 1 × 40 000 (12.8 GB of V) is a NativeMemoryError, not an OOM kill', async () => {
    const a = addon();
    const row = m(1, 40_000);
    expect(() => a.svd(row, false)).toThrow(NativeMemoryError);
    expect(() => a.svd(row, false)).toThrow(/native memory ceiling .*FEATUREFLOW_NATIVE_MAX_BYTES/);
    await expect(a.svdAsync(row, false)).rejects.toBeInstanceOf(NativeMemoryError);
    expect(a.svd(row, true).s.length).toBe(1); // the thin SVD needs little and still works
  });

  it('bounds every allocation by the ceiling: linear algebra, the MLP trainer and its epochs, the general trainer', async () => {
    const a = addon();
    const before = a.getMemoryCeiling();
    expect(before).toBeGreaterThan(0);
    try {
      a.setMemoryCeiling(40 * 1024);
      expect(() => a.gemm(m(128, 128), m(128, 128))).toThrow(NativeMemoryError);
      await expect(a.eighSymAsync(eye(64))).rejects.toBeInstanceOf(NativeMemoryError);
      expect(a.gemm(m(4, 4), m(4, 4)).data.length).toBe(16);
      const { h } = tinyNet();
      expect(() => a.mlpStep(h, new Float32Array(3 * 4096), new Int32Array(4096), 0.1, 0, 'notebook')).toThrow(NativeMemoryError);
      expect(() => a.mlpSetData(h, new Float32Array(3 * 4096), new Int32Array(4096))).toThrow(NativeMemoryError);
      a.mlpSetData(h, new Float32Array(3 * 8), new Int32Array(8));
      await expect(a.mlpEpoch(h, new Int32Array(4096), 4096, 0.1, 0, 'notebook', true)).rejects.toBeInstanceOf(NativeMemoryError);
      a.mlpDispose(h);
      // the general trainer's network (net.c): its parameters, then its per-row activations
      const sizes = Int32Array.of(100, 200, 1);
      const layers = [Int32Array.of(1, 0), Int32Array.of(1, 1), Int32Array.of(0, 0)] as const;
      const opt = Float64Array.of(0, 0.01, 0, 0, 0.9, 0.999, 1e-8);
      expect(() => a.netCreate(sizes, layers[0], layers[1], layers[2], new Float32Array(100 * 200 + 200 + 200 + 1), opt)).toThrow(NativeMemoryError);
      const small = a.netCreate(Int32Array.of(2, 4, 1), layers[0], layers[1], layers[2], new Float32Array(2 * 4 + 4 + 4 + 1), opt);
      expect(() => a.netSteps(small, new Float32Array(2 * 8192), new Float32Array(8192), 0, 0, 1, 1, null)).toThrow(NativeMemoryError);
      a.netDispose(small);
    } finally {
      a.setMemoryCeiling(0);
    }
    expect(a.getMemoryCeiling()).toBe(before);
  });
});
