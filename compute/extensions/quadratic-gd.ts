/**
 * An extension of the generic Linalg interface (engine/compute/linalg.ts), for the
 * teacher–student study: gradient descent on a quadratic ½wᵀAw − bᵀw + (λ/2)‖w‖², many steps per
 * call, the kernel behind explicit-GD training loops. A backend runs a whole stretch of steps in one call, so a
 * native backend validates its inputs once and never crosses into JS between steps. A is
 * symmetric (the Hessian); every backend reads only its upper triangle, LAPACK-style, so the
 * backends agree even on an A that is not.
 */
import type { Linalg } from '../../engine/compute/linalg.ts';
import type { Mat } from '../../engine/compute/matrix.ts';
import { rowDots } from '../row-dots.ts';

/** A Linalg backend that runs the kernel itself (the native addon: a whole stretch in C). */
export interface QuadraticGdKernel {
  /**
   * `steps` iterations of gradient descent on ½wᵀAw − bᵀw + (λ/2)‖w‖², in place on w:
   * w ← w − η(k_i A w − b + λw) + ξ_i. A is symmetric and only its upper triangle is read.
   */
  quadraticGdSteps(a: Mat, b: Float64Array, w: Float64Array, options: QuadraticGdOptions): void;
}

/**
 * The kernel for a backend: its own when it has one, else the JS reference. Both follow the same
 * contract and the backend's identity is in the key, so a cached result always names its kernel.
 */
export function quadraticGdKernel(linalg: Linalg): QuadraticGdKernel['quadraticGdSteps'] {
  const own = (linalg as Linalg & Partial<QuadraticGdKernel>).quadraticGdSteps;
  return own ? own.bind(linalg) : quadraticGdStepsJs;
}

export interface QuadraticGdOptions {
  readonly eta: number;
  readonly lambda: number;
  readonly steps: number;
  /** k_i, the factor on A w at step i (length `steps`); omitted: 1 */
  readonly scales?: Float64Array;
  /** ξ_i added after step i, row-major steps×d; omitted: none */
  readonly noise?: Float64Array;
}

/**
 * Checks shared by every backend, with messages that name the argument; the native entry makes
 * the same checks (a diverging run stops with "w has a non-finite value" on either path).
 */
export function checkQuadraticGd(a: Mat, b: Float64Array, w: Float64Array, o: QuadraticGdOptions): void {
  const d = w.length;
  if (a.rows !== a.cols) throw new RangeError(`quadraticGdSteps: A must be square, got ${a.rows}×${a.cols}`);
  if (d < 1 || a.rows !== d || b.length !== d) throw new RangeError(`quadraticGdSteps: A is ${a.rows}×${a.cols}, b has length ${b.length}, w has length ${d}`);
  if (a.data.length !== d * d) throw new RangeError(`quadraticGdSteps: A.data has length ${a.data.length}, expected ${d * d}`);
  if (!Number.isInteger(o.steps) || o.steps < 0) throw new RangeError(`quadraticGdSteps: steps must be an integer ≥ 0, got ${o.steps}`);
  if (!Number.isFinite(o.eta) || !Number.isFinite(o.lambda)) throw new RangeError(`quadraticGdSteps: η and λ must be finite, got ${o.eta}, ${o.lambda}`);
  if (o.scales && o.scales.length !== o.steps) throw new RangeError(`quadraticGdSteps: scales has length ${o.scales.length}, expected ${o.steps}`);
  if (o.noise && o.noise.length !== o.steps * d) throw new RangeError(`quadraticGdSteps: noise has length ${o.noise.length}, expected steps·d = ${o.steps * d}`);
  const arrays: [string, Float64Array | undefined][] = [['A', a.data], ['b', b], ['w', w], ['scales', o.scales], ['noise', o.noise]];
  for (const [name, x] of arrays) {
    if (!x) continue;
    for (let i = 0; i < x.length; i++) {
      if (!Number.isFinite(x[i]!)) throw new RangeError(`quadraticGdSteps: ${name} has a non-finite value (${x[i]}) at index ${i}`);
    }
  }
}

/**
 * The reference kernel in plain JS: per step g = A w from A's upper triangle, then
 * w_j ← w_j − η(k_i g_j − b_j + λ w_j) + ξ_ij, the same terms in the same order as native.
 * For a stretch of several steps the upper triangle is first mirrored into a full symmetric copy
 * (a blocked O(d²) pass, ~1 % of a 100-step stretch at d = 1000), because V8 runs the contiguous
 * row dot much faster than the strided reads of the lower half; a one- to three-step call reads
 * the triangle in place instead. Both sum in the same order, so the result is the same bits.
 */
export function quadraticGdStepsJs(a: Mat, b: Float64Array, w: Float64Array, o: QuadraticGdOptions): void {
  checkQuadraticGd(a, b, w, o);
  if (o.steps === 0) return;
  const d = w.length;
  const mirrored = o.steps >= 4 ? symmetricFromUpper(a.data, d) : undefined;
  const g = new Float64Array(d);
  const { eta, lambda, scales, noise } = o;
  for (let i = 0; i < o.steps; i++) {
    if (mirrored) rowDots(mirrored, d, d, w, g);
    else upperTriangleProduct(a.data, w, g);
    const k = scales ? scales[i]! : 1;
    for (let j = 0; j < d; j++) w[j]! -= eta * (k * g[j]! - b[j]! + lambda * w[j]!);
    if (noise) {
      const off = i * d;
      for (let j = 0; j < d; j++) w[j]! += noise[off + j]!;
    }
  }
}

/** the same sums as rowDots on the mirrored matrix, reading A's upper triangle in place */
function upperTriangleProduct(A: Float64Array, w: Float64Array, g: Float64Array): void {
  const d = w.length;
  const at = (r: number, p: number) => (p < r ? A[p * d + r]! : A[r * d + p]!);
  for (let r = 0; r < d; r++) {
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    let p = 0;
    for (; p + 3 < d; p += 4) {
      s0 += at(r, p) * w[p]!;
      s1 += at(r, p + 1) * w[p + 1]!;
      s2 += at(r, p + 2) * w[p + 2]!;
      s3 += at(r, p + 3) * w[p + 3]!;
    }
    for (; p < d; p++) s0 += at(r, p) * w[p]!;
    g[r] = s0 + s1 + (s2 + s3);
  }
}

/** the full symmetric matrix whose upper triangle is that of `a` (row-major d×d), in 64×64 tiles */
function symmetricFromUpper(a: Float64Array, d: number): Float64Array {
  const out = new Float64Array(d * d);
  const T = 64;
  for (let i0 = 0; i0 < d; i0 += T) {
    const i1 = Math.min(d, i0 + T);
    for (let j0 = i0; j0 < d; j0 += T) {
      const j1 = Math.min(d, j0 + T);
      for (let i = i0; i < i1; i++) {
        for (let j = Math.max(j0, i); j < j1; j++) {
          const v = a[i * d + j]!;
          out[i * d + j] = v;
          out[j * d + i] = v;
        }
      }
    }
  }
  return out;
}
