/**
 * `exactCurve(...)` for scripts: either for a given X and F, or for bipartite draws averaged over
 * seeds (as the figures do). Picks the linear-algebra backend like a pipeline run would.
 */
import type { Linalg } from '../../engine/compute/linalg.ts';
import type { Mat } from '../../engine/compute/matrix.ts';
import { selectLinalg } from '../../engine/compute/backends.ts';
import { randomSourceFromSeed } from '../../engine/random.ts';
import { modulationFromMatrix } from './modulation.ts';
import { drawBipartiteSetup, exactCurveForDraw } from './simulate.ts';
import type { CurveArrays } from './exact-curve.ts';
import { generalisationError } from './metrics.ts';

interface Common {
  readonly sigma: number;
  readonly lambda: number;
  readonly ts: ArrayLike<number>;
  readonly linalg?: Linalg;
}
export type ExactCurveOptions =
  | (Common & { readonly X: Mat; readonly F: Mat })
  | (Common & { readonly n: number; readonly d: number; readonly p: number; readonly kappa: number; readonly seeds?: number; readonly seed?: string });

export async function exactCurve(o: ExactCurveOptions): Promise<CurveArrays> {
  const linalg = o.linalg ?? (await selectLinalg()).impl;
  if ('X' in o) {
    return exactCurveForDraw(o.X, modulationFromMatrix(o.F, o.X.cols, linalg), o, linalg);
  }
  const seeds = o.seeds ?? 1;
  if (!Number.isInteger(seeds) || seeds < 1) throw new RangeError(`exactCurve: seeds must be an integer ≥ 1, got ${seeds}`);
  const m = o.ts.length;
  const R = new Float64Array(m), Q = new Float64Array(m);
  for (let s = 0; s < seeds; s++) {
    const draw = drawBipartiteSetup(o, randomSourceFromSeed(`${o.seed ?? 'exactCurve'}:${s}`), linalg);
    const c = exactCurveForDraw(draw.X, draw.modulation, o, linalg);
    for (let i = 0; i < m; i++) {
      R[i]! += c.R[i]! / seeds;
      Q[i]! += c.Q[i]! / seeds;
    }
  }
  return { t: Float64Array.from(o.ts), R, Q, EG: Float64Array.from(R, (r, i) => generalisationError(r, Q[i]!, o.sigma)) };
}
