/**
 * Explicit gradient descent on ½‖y − Xŵ‖² + (λ/2)‖ŵ‖² + (α_i/2)‖Xŵ‖², step by step:
 *   ŵ ← ŵ − η((1 + α_i) XᵀX ŵ − Xᵀy + λŵ) + ξ,  ξ ~ N(0, I/β) (optional Langevin noise, eq. 4.2.4).
 * α_i = 0 is plain GD; the Q-regulariser of Lemma 4.3.1 penalises the output norm ‖Xŵ‖², which
 * only rescales the XᵀX term. XᵀX and Xᵀy are formed once; the steps between two recorded
 * points (or progress reports) run as one backend call (the quadratic-GD kernel extension, compute/extensions/quadratic-gd.ts), so a native
 * backend never returns to JS between steps.
 */
import { quadraticGdKernel } from '../../compute/extensions/quadratic-gd.ts';
import type { Linalg } from '../../engine/compute/linalg.ts';
import type { Mat } from '../../engine/compute/matrix.ts';
import type { RandomSource } from '../../engine/random.ts';

export interface GdLoopOptions {
  /** XᵀX, d×d */
  readonly gram: Mat;
  /** Xᵀy, length d */
  readonly xty: Float64Array;
  readonly eta: number;
  readonly lambda: number;
  readonly steps: number;
  /** α_i for step i (0-based); omitted: plain GD */
  readonly alpha?: (step: number) => number;
  /** inverse temperature β of the Langevin noise; omitted or Infinity: none */
  readonly beta?: number;
  readonly random?: RandomSource;
  /** called with the weights after `step` updates, for each step in `record` (ascending integers; others are passed over) */
  readonly record?: ArrayLike<number>;
  readonly onRecord?: (step: number, w: Float64Array) => void;
  readonly signal?: AbortSignal;
  readonly progress?: (fraction: number) => void;
}

/** α_i = α₀ · ln(1 + e^{−0.001 i}) / ln 2: the decaying schedule of Fig. 6 (α₀ = 0.6). */
export function qPenaltySchedule(alpha0: number, decay = 0.001): (step: number) => number {
  return (i) => (alpha0 * Math.log1p(Math.exp(-decay * i))) / Math.LN2;
}

/**
 * Walks `steps` steps in stretches that end at every recorded step and every 1 % of progress (and
 * are at most `maxStretch` long): `advance(from, count)` runs the steps, `recordAt(step)` sees the
 * state after a recorded step. Record points that are not positive integers in order are passed
 * over (0 is recorded before the first step). Cancellation and progress are checked per 1 %.
 */
function inStretches(
  o: Pick<GdLoopOptions, 'steps' | 'record' | 'signal' | 'progress'>,
  advance: (from: number, count: number) => void,
  recordAt: (step: number) => void,
  maxStretch = Number.POSITIVE_INFINITY,
): void {
  if (!Number.isInteger(o.steps) || o.steps < 0) throw new RangeError(`GD loop: steps must be an integer ≥ 0, got ${o.steps}`);
  const record = o.record ?? [];
  let next = 0;
  const recordUpTo = (done: number) => {
    while (next < record.length && !(record[next]! > done)) {
      if (record[next] === done) recordAt(done);
      next++;
    }
  };
  recordUpTo(0);
  const progressEvery = Math.max(1, Math.floor(o.steps / 100));
  let done = 0;
  while (done < o.steps) {
    const nextProgress = (Math.floor(done / progressEvery) + 1) * progressEvery;
    const nextRecord = next < record.length ? Math.ceil(record[next]!) : Number.POSITIVE_INFINITY;
    const count = Math.min(o.steps, nextProgress, nextRecord, done + maxStretch) - done;
    advance(done, count);
    done += count;
    recordUpTo(done);
    if (done % progressEvery === 0) {
      if (o.signal?.aborted) throw o.signal.reason ?? new Error('aborted');
      o.progress?.(done / o.steps);
    }
  }
}

export function gradientDescentLoop(o: GdLoopOptions, linalg: Linalg): Float64Array {
  const d = o.xty.length;
  if (o.gram.rows !== d || o.gram.cols !== d) throw new RangeError(`GD loop: XᵀX is ${o.gram.rows}×${o.gram.cols}, Xᵀy has length ${d}`);
  const noiseStd = o.beta !== undefined && Number.isFinite(o.beta) ? 1 / Math.sqrt(o.beta) : 0;
  if (noiseStd > 0 && !o.random) throw new Error('GD loop: Langevin noise needs a random source');
  const w = new Float64Array(d);
  const kernel = quadraticGdKernel(linalg);
  // one backend call per stretch; its noise is drawn up front, so cap a stretch at ~8 MB of it
  const maxStretch = noiseStd > 0 ? Math.max(1, Math.floor(1_048_576 / d)) : Number.POSITIVE_INFINITY;
  inStretches(
    o,
    (from, count) => {
      const scales = o.alpha ? Float64Array.from({ length: count }, (_, i) => 1 + o.alpha!(from + i)) : undefined;
      const noise = noiseStd > 0 ? o.random!.fillNormal(new Float64Array(count * d), 0, noiseStd) : undefined;
      kernel(o.gram, o.xty, w, { eta: o.eta, lambda: o.lambda, steps: count, scales, noise });
    },
    (step) => o.onRecord?.(step, w),
    maxStretch,
  );
  return w;
}

/** Distinct integer steps, log-spaced from 1 to `steps` (the figure's x-axis), plus 0 if asked. */
export function logSpacedSteps(steps: number, points: number, includeZero = false): Int32Array {
  const set = new Set<number>();
  if (includeZero) set.add(0);
  const top = Math.log10(Math.max(1, steps));
  for (let i = 0; i < points; i++) set.add(Math.min(steps, Math.round(10 ** ((top * i) / Math.max(1, points - 1)))));
  return Int32Array.from([...set].sort((a, b) => a - b));
}

/**
 * The same iteration (without Langevin noise) run in the eigenbasis of XᵀX: since (1 + α_i)XᵀX + λI
 * shares the eigenvectors of XᵀX for every α_i, each coordinate c_j = (Vᵀŵ)_j evolves on its own,
 * c_j ← c_j − η((1 + α_i) l_j c_j − b_j + λ c_j) with b = VᵀXᵀy: O(d) per step instead of O(d²).
 * Exact algebra, different round-off; tests pin it to the explicit loop.
 */
export function gradientDescentEigenbasis(
  o: Omit<GdLoopOptions, 'gram' | 'xty' | 'beta' | 'random'> & { readonly values: Float64Array; readonly targets: Float64Array; readonly toWeights: (c: Float64Array) => Float64Array },
): Float64Array {
  const d = o.values.length;
  const c = new Float64Array(d);
  const { eta, lambda, values, targets } = o;
  inStretches(
    o,
    (from, count) => {
      for (let i = from; i < from + count; i++) {
        const k = 1 + (o.alpha ? o.alpha(i) : 0);
        for (let j = 0; j < d; j++) c[j]! -= eta * (k * values[j]! * c[j]! - targets[j]! + lambda * c[j]!);
      }
    },
    (step) => o.onRecord?.(step, o.toWeights(c)),
  );
  return o.toWeights(c);
}
