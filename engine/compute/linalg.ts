import type { Mat } from './matrix.ts';

/** Symmetric eigendecomposition A = V diag(values) Vᵀ, values ascending, eigenvectors in columns. */
export interface SymmetricEigen {
  readonly values: Float64Array;
  readonly vectors: Mat;
}

/** A = U diag(s) Vᵀ with s descending; thin: U is m×k, V is n×k, k = min(m, n). */
export interface SingularValueDecomposition {
  readonly U: Mat;
  readonly s: Float64Array;
  readonly V: Mat;
}

export interface QrDecomposition {
  /** thin Q (m×k) and R (k×n), k = min(m, n) */
  readonly Q: Mat;
  readonly R: Mat;
}

/**
 * The narrow float64 linear-algebra interface of the compute layer. Implementations: ml-matrix
 * (pure JS, always available) and the native OpenBLAS addon (optional), both in compute/. A
 * node calls only this; a study's own kernels are extensions in compute/extensions/ (e.g. the
 * teacher–student GD kernel, quadratic-gd.ts), looked up through a typed accessor there.
 */
export interface Linalg {
  readonly name: string;
  eighSym(a: Mat): SymmetricEigen;
  svd(a: Mat, options?: { thin?: boolean }): SingularValueDecomposition;
  /** Solve A X = B for square non-singular A. */
  solve(a: Mat, b: Mat): Mat;
  /** Minimum-norm least-squares solution of A X ≈ B. */
  lstsq(a: Mat, b: Mat): Mat;
  pinv(a: Mat): Mat;
  qr(a: Mat): QrDecomposition;
  /** C = op(A) op(B), op = transpose when the flag is set. */
  gemm(a: Mat, b: Mat, options?: { transA?: boolean; transB?: boolean }): Mat;
}
