/**
 * Float64 linear algebra on the native OpenBLAS addon (native/): the same LAPACK drivers numpy
 * uses (dsyevd, dgesdd, dgetrf/dgetrs, dgelsd, dgeqrf/dorgqr, dgemm). Inputs are validated in
 * native code (shapes, lengths, finiteness) and rejected with NativeInputError; LAPACK failures
 * (singular matrix, no convergence) raise NativeLapackError. gemm of a matrix with itself
 * (AᵀA, AAᵀ) runs dsyrk, as numpy does. quadraticGdSteps and firstLayerGdSteps run a stretch of GD steps in C. The `async` variants run on the
 * libuv pool so a long decomposition does not block the event loop.
 */
import { native, type NativeAddon } from '../native/load.ts';
import { BackendUnavailable } from '../engine/compute/backend-unavailable.ts';
import type { Linalg, QrDecomposition, SingularValueDecomposition, SymmetricEigen } from '../engine/compute/linalg.ts';
import type { Mat } from '../engine/compute/matrix.ts';
import type { FirstLayerGdKernel } from './extensions/first-layer-gd.ts';
import type { QuadraticGdKernel } from './extensions/quadratic-gd.ts';

export interface NativeLinalg extends Linalg, QuadraticGdKernel, FirstLayerGdKernel {
  /** the same operations off the event loop */
  readonly async: {
    eighSym(a: Mat): Promise<SymmetricEigen>;
    svd(a: Mat, options?: { thin?: boolean }): Promise<SingularValueDecomposition>;
    solve(a: Mat, b: Mat): Promise<Mat>;
    lstsq(a: Mat, b: Mat): Promise<Mat>;
    pinv(a: Mat): Promise<Mat>;
    qr(a: Mat): Promise<QrDecomposition>;
    gemm(a: Mat, b: Mat, options?: { transA?: boolean; transB?: boolean }): Promise<Mat>;
  };
  /** OpenBLAS threads for this process (all threads share one pool) */
  setThreads(n: number): void;
  getThreads(): number;
}

export function nativeLinalg(addon: NativeAddon): NativeLinalg {
  return {
    name: 'native',
    eighSym: (a) => addon.eighSym(a),
    svd: (a, options) => addon.svd(a, options?.thin ?? true),
    solve: (a, b) => addon.solve(a, b),
    lstsq: (a, b) => addon.lstsq(a, b),
    pinv: (a) => addon.pinv(a),
    qr: (a) => addon.qr(a),
    gemm: (a, b, options) => addon.gemm(a, b, options?.transA ?? false, options?.transB ?? false),
    // the addon validates everything itself (NativeInputError), once per call
    quadraticGdSteps: (a, b, w, o) => addon.quadraticGdSteps(a, b, w, o.eta, o.lambda, o.steps, o.scales ?? null, o.noise ?? null),
    firstLayerGdSteps: (x, y, a, w, eta, steps, activation) => addon.firstLayerGdSteps(x, y, a, w, eta, steps, activation),
    async: {
      eighSym: (a) => addon.eighSymAsync(a),
      svd: (a, options) => addon.svdAsync(a, options?.thin ?? true),
      solve: (a, b) => addon.solveAsync(a, b),
      lstsq: (a, b) => addon.lstsqAsync(a, b),
      pinv: (a) => addon.pinvAsync(a),
      qr: (a) => addon.qrAsync(a),
      gemm: (a, b, options) => addon.gemmAsync(a, b, options?.transA ?? false, options?.transB ?? false),
    },
    setThreads: (n) => addon.setThreads(n),
    getThreads: () => addon.getThreads(),
  };
}

export async function load(): Promise<NativeLinalg> {
  const r = native.loadNative();
  if (!r.ok) throw new BackendUnavailable('native', r.reason);
  return nativeLinalg(r.addon);
}
