/**
 * The pure-JS float64 linear algebra backend: decompositions from ml-matrix (well kept, always
 * installable), products in tight loops over row-major Float64Arrays. ml-matrix stores a matrix as
 * an array of row arrays, so every call converts at the boundary; gemm skips ml-matrix entirely
 * because a matrix–vector product inside a training loop would otherwise pay a d² copy per call.
 */
import {
  EigenvalueDecomposition,
  Matrix,
  QrDecomposition,
  SingularValueDecomposition,
  pseudoInverse,
  solve as mlSolve,
} from 'ml-matrix';
import type { Linalg, QrDecomposition as Qr, SingularValueDecomposition as Svd, SymmetricEigen } from '../engine/compute/linalg.ts';
import { mat, type Mat } from '../engine/compute/matrix.ts';
import { quadraticGdStepsJs, type QuadraticGdKernel } from './extensions/quadratic-gd.ts';
import { rowDots } from './row-dots.ts';

/** ml-matrix keeps its rows as Float64Arrays in a field its typings hide; reading it saves a copy */
function rowsOf(m: Matrix): Float64Array[] {
  return (m as unknown as { data: Float64Array[] }).data;
}

function toMl(a: Mat): Matrix {
  const m = new Matrix(a.rows, a.cols);
  const rows = rowsOf(m);
  for (let i = 0; i < a.rows; i++) {
    const row = rows[i]!;
    const off = i * a.cols;
    for (let j = 0; j < a.cols; j++) row[j] = a.data[off + j]!;
  }
  return m;
}

function fromMl(m: Matrix): Mat {
  const out = new Float64Array(m.rows * m.columns);
  const rows = rowsOf(m);
  for (let i = 0; i < m.rows; i++) out.set(rows[i]!, i * m.columns);
  return mat(m.rows, m.columns, out);
}

function checkSquare(what: string, a: Mat): void {
  if (a.rows !== a.cols) throw new RangeError(`${what}: matrix must be square, got ${a.rows}×${a.cols}`);
}

/** C = op(A) op(B) with i-k-j loops so that the innermost loop runs over contiguous rows. */
export function gemmRowMajor(a: Mat, b: Mat, transA = false, transB = false): Mat {
  const m = transA ? a.cols : a.rows;
  const k = transA ? a.rows : a.cols;
  const kb = transB ? b.cols : b.rows;
  const n = transB ? b.rows : b.cols;
  if (k !== kb) throw new RangeError(`gemm: inner dimensions differ (${m}×${k} times ${kb}×${n})`);
  const A = a.data, B = b.data;
  // op(B) row-major so the inner loop is contiguous: transpose once (O(kn), small beside O(mkn))
  let Bn: Float64Array = B;
  if (transB) {
    Bn = new Float64Array(k * n);
    for (let r = 0; r < b.rows; r++) for (let c = 0; c < b.cols; c++) Bn[c * n + r] = B[r * b.cols + c]!;
  }
  const C = new Float64Array(m * n);
  if (n === 1) {
    // matrix–vector: dot products of contiguous rows
    if (!transA) {
      rowDots(A, m, k, Bn, C);
    } else {
      for (let p = 0; p < k; p++) {
        const bp = Bn[p]!;
        if (bp === 0) continue;
        const off = p * a.cols;
        for (let i = 0; i < m; i++) C[i]! += A[off + i]! * bp;
      }
    }
    return mat(m, n, C);
  }
  // AᵀA or AAᵀ is symmetric: compute the upper triangle (each 4-row block from its first row on)
  // and mirror it, half the work, as BLAS's dsyrk does
  const gram = A === B && a.rows === b.rows && a.cols === b.cols && transA !== transB;
  // A panel of op(B) rows small enough to stay in cache (~256 KiB) is reused by every row of C,
  // and four rows of C share each load of a B element: the loops stay on contiguous memory.
  const panel = Math.max(8, Math.floor(32768 / Math.max(1, n)));
  const aAt = transA ? (i: number, p: number) => A[p * a.cols + i]! : (i: number, p: number) => A[i * a.cols + p]!;
  for (let p0 = 0; p0 < k; p0 += panel) {
    const p1 = Math.min(k, p0 + panel);
    let i = 0;
    for (; i + 3 < m; i += 4) {
      const c0 = i * n, c1 = c0 + n, c2 = c1 + n, c3 = c2 + n;
      for (let p = p0; p < p1; p++) {
        const a0 = aAt(i, p), a1 = aAt(i + 1, p), a2 = aAt(i + 2, p), a3 = aAt(i + 3, p);
        const bOff = p * n;
        for (let j = gram ? i : 0; j < n; j++) {
          const b = Bn[bOff + j]!;
          C[c0 + j]! += a0 * b;
          C[c1 + j]! += a1 * b;
          C[c2 + j]! += a2 * b;
          C[c3 + j]! += a3 * b;
        }
      }
    }
    for (; i < m; i++) {
      const cOff = i * n;
      for (let p = p0; p < p1; p++) {
        const aip = aAt(i, p);
        if (aip === 0) continue;
        const bOff = p * n;
        for (let j = gram ? i : 0; j < n; j++) C[cOff + j]! += aip * Bn[bOff + j]!;
      }
    }
  }
  if (gram) for (let i = 1; i < m; i++) for (let j = 0; j < i; j++) C[i * n + j] = C[j * n + i]!;
  return mat(m, n, C);
}

function eighSym(a: Mat): SymmetricEigen {
  checkSquare('eighSym', a);
  const evd = new EigenvalueDecomposition(toMl(a), { assumeSymmetric: true });
  const values = Float64Array.from(evd.realEigenvalues);
  const V = evd.eigenvectorMatrix;
  const d = a.rows;
  // ml-matrix (tql2) already sorts ascending; sort anyway so the contract never rests on it
  const order = Array.from(values.keys()).sort((i, j) => values[i]! - values[j]!);
  const sortedValues = new Float64Array(d);
  const vectors = new Float64Array(d * d);
  order.forEach((src, dst) => {
    sortedValues[dst] = values[src]!;
    for (let r = 0; r < d; r++) vectors[r * d + dst] = V.get(r, src);
  });
  return { values: sortedValues, vectors: mat(d, d, vectors) };
}

function svd(a: Mat, options?: { thin?: boolean }): Svd {
  const thin = options?.thin ?? true;
  // ml-matrix's SVD wants rows ≥ cols; decompose the transpose otherwise and swap U and V
  const wide = a.rows < a.cols;
  const src = wide ? gemmTranspose(a) : a;
  const dec = new SingularValueDecomposition(toMl(src), { computeLeftSingularVectors: true, computeRightSingularVectors: true, autoTranspose: false });
  let U = fromMl(dec.leftSingularVectors);
  let V = fromMl(dec.rightSingularVectors);
  const k = Math.min(a.rows, a.cols);
  const s = Float64Array.from(dec.diagonal.slice(0, k));
  if (wide) [U, V] = [V, U];
  U = takeColumns(U, k);
  V = takeColumns(V, k);
  if (!thin) {
    U = completeBasis(U, a.rows);
    V = completeBasis(V, a.cols);
  }
  return { U, s, V };
}

function gemmTranspose(a: Mat): Mat {
  const out = new Float64Array(a.rows * a.cols);
  for (let i = 0; i < a.rows; i++) for (let j = 0; j < a.cols; j++) out[j * a.rows + i] = a.data[i * a.cols + j]!;
  return mat(a.cols, a.rows, out);
}

function takeColumns(a: Mat, k: number): Mat {
  if (a.cols === k) return a;
  const out = new Float64Array(a.rows * k);
  for (let i = 0; i < a.rows; i++) for (let j = 0; j < k; j++) out[i * k + j] = a.data[i * a.cols + j]!;
  return mat(a.rows, k, out);
}

/** Extend orthonormal columns to a full orthonormal basis (Gram–Schmidt against unit vectors). */
function completeBasis(q: Mat, m: number): Mat {
  const cols: Float64Array[] = [];
  for (let j = 0; j < q.cols; j++) {
    const c = new Float64Array(m);
    for (let i = 0; i < m; i++) c[i] = q.data[i * q.cols + j]!;
    cols.push(c);
  }
  for (let e = 0; e < m && cols.length < m; e++) {
    const v = new Float64Array(m);
    v[e] = 1;
    for (let pass = 0; pass < 2; pass++) {
      for (const c of cols) {
        let dot = 0;
        for (let i = 0; i < m; i++) dot += c[i]! * v[i]!;
        for (let i = 0; i < m; i++) v[i]! -= dot * c[i]!;
      }
    }
    let norm = 0;
    for (let i = 0; i < m; i++) norm += v[i]! * v[i]!;
    norm = Math.sqrt(norm);
    if (norm < 1e-8) continue;
    for (let i = 0; i < m; i++) v[i]! /= norm;
    cols.push(v);
  }
  const out = new Float64Array(m * m);
  cols.forEach((c, j) => {
    for (let i = 0; i < m; i++) out[i * m + j] = c[i]!;
  });
  return mat(m, m, out);
}

function solve(a: Mat, b: Mat): Mat {
  checkSquare('solve', a);
  if (b.rows !== a.rows) throw new RangeError(`solve: A is ${a.rows}×${a.cols} but B has ${b.rows} rows`);
  const x = fromMl(mlSolve(toMl(a), toMl(b)));
  for (const v of x.data) {
    if (!Number.isFinite(v)) throw new RangeError('solve: matrix is singular to working precision');
  }
  return x;
}

function lstsq(a: Mat, b: Mat): Mat {
  if (b.rows !== a.rows) throw new RangeError(`lstsq: A is ${a.rows}×${a.cols} but B has ${b.rows} rows`);
  return gemmRowMajor(pinv(a), b);
}

function pinv(a: Mat): Mat {
  return fromMl(pseudoInverse(toMl(a)));
}

function qr(a: Mat): Qr {
  const k = Math.min(a.rows, a.cols);
  const dec = new QrDecomposition(toMl(a));
  const Q = takeColumns(fromMl(dec.orthogonalMatrix), k);
  const Rfull = fromMl(dec.upperTriangularMatrix);
  // ml-matrix returns R as cols×cols; the thin R is its first k rows
  const R = Rfull.rows === k ? Rfull : mat(k, a.cols, Rfull.data.slice(0, k * a.cols));
  return { Q, R };
}

export const mlMatrixLinalg: Linalg & QuadraticGdKernel = {
  name: 'ml-matrix',
  eighSym,
  svd,
  solve,
  lstsq,
  pinv,
  qr,
  gemm: (a, b, options) => gemmRowMajor(a, b, options?.transA ?? false, options?.transB ?? false),
  quadraticGdSteps: quadraticGdStepsJs,
};

export async function load(): Promise<Linalg & QuadraticGdKernel> {
  return mlMatrixLinalg;
}
