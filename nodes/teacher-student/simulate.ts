/**
 * One draw of the whole setup (teacher, F, student inputs) and the per-draw curves the figures
 * average over seeds: closed-form GD and the ridge proxy measured on the draw (R, Q, test error),
 * and the exact teacher-averaged R(t), Q(t). One eigendecomposition of XᵀX serves every t.
 */
import type { Linalg } from '../../engine/compute/linalg.ts';
import type { Mat } from '../../engine/compute/matrix.ts';
import type { RandomSource } from '../../engine/random.ts';
import { drawTeacher, studentInputs, type TeacherDraw } from './teacher.ts';
import { bipartiteModulation, type Modulation } from './modulation.ts';
import { gdGains, gramSpectrum, ridgeProxyGains, targetsInEigenbasis, weightsFromGains, type GramSpectrum } from './gram-spectrum.ts';
import { alignmentAndNorm, empiricalTestError, generalisationError } from './metrics.ts';
import { exactCurveFromPrepared, prepareExactCurve, type CurveArrays } from './exact-curve.ts';

export interface SetupDraw {
  readonly teacher: TeacherDraw;
  readonly modulation: Modulation;
  readonly X: Mat;
  readonly Xtest: Mat;
}

export function setupFromParts(teacher: TeacherDraw, modulation: Modulation, linalg: Linalg): SetupDraw {
  return { teacher, modulation, X: studentInputs(teacher.Z, modulation.F, linalg), Xtest: studentInputs(teacher.Ztest, modulation.F, linalg) };
}

export function drawBipartiteSetup(
  size: { n: number; d: number; p: number; kappa: number; sigma: number; nTest?: number },
  random: RandomSource,
  linalg: Linalg,
): SetupDraw {
  const teacher = drawTeacher(size, random.fork('teacher'), linalg);
  const modulation = bipartiteModulation(size.d, size.p, size.kappa, random.fork('F'), linalg);
  return setupFromParts(teacher, modulation, linalg);
}

export interface MeasuredCurve {
  readonly t: Float64Array;
  readonly R: Float64Array;
  readonly Q: Float64Array;
  /** ½(1 + σ² − 2R + Q) of the measured R, Q */
  readonly EG: Float64Array;
  /** ½ · mean (xᵀŵ − y*)² over the test set */
  readonly testError: Float64Array;
}

type GainRule = (spec: GramSpectrum, t: number, out: Float64Array) => Float64Array;

function measuredCurve(draw: SetupDraw, spec: GramSpectrum, ts: ArrayLike<number>, sigma: number, gains: GainRule, linalg: Linalg): MeasuredCurve {
  const c = targetsInEigenbasis(spec, draw.X, draw.teacher.y, linalg);
  const m = ts.length;
  const out = { t: Float64Array.from(ts), R: new Float64Array(m), Q: new Float64Array(m), EG: new Float64Array(m), testError: new Float64Array(m) };
  const g = new Float64Array(spec.d);
  for (let i = 0; i < m; i++) {
    const wHat = weightsFromGains(spec, gains(spec, ts[i]!, g), c, linalg);
    const { R, Q } = alignmentAndNorm(draw.modulation.F, wHat, draw.teacher.w, linalg);
    out.R[i] = R;
    out.Q[i] = Q;
    out.EG[i] = generalisationError(R, Q, sigma);
    out.testError[i] = empiricalTestError(draw.Xtest, draw.teacher.ytest, wHat, linalg);
  }
  return out;
}

/** Closed-form GD at each t (fractional t allowed), η = 1/(l_max + λ) unless given. */
export function gdClosedFormCurve(draw: SetupDraw, o: { lambda: number; sigma: number; ts: ArrayLike<number>; eta?: number }, linalg: Linalg, spec?: GramSpectrum): MeasuredCurve {
  const s = spec ?? gramSpectrum(draw.X, { lambda: o.lambda, eta: o.eta }, linalg);
  return measuredCurve(draw, s, o.ts, o.sigma, gdGains, linalg);
}

/** Ridge proxy ŵ = (XᵀX + 2(λ + 1/t) I)⁻¹ Xᵀy at each t. */
export function ridgeProxyCurve(draw: SetupDraw, o: { lambda: number; sigma: number; ts: ArrayLike<number> }, linalg: Linalg, spec?: GramSpectrum): MeasuredCurve {
  const s = spec ?? gramSpectrum(draw.X, { lambda: o.lambda }, linalg);
  return measuredCurve(draw, s, o.ts, o.sigma, ridgeProxyGains, linalg);
}

/** Exact teacher-averaged R(t), Q(t), E_G(t) for this draw of X and F. */
export function exactCurveForDraw(X: Mat, modulation: Modulation, o: { lambda: number; sigma: number; ts: ArrayLike<number>; eta?: number }, linalg: Linalg, spec?: GramSpectrum): CurveArrays {
  const s = spec ?? gramSpectrum(X, { lambda: o.lambda, eta: o.eta }, linalg);
  return exactCurveFromPrepared(prepareExactCurve(s, modulation, linalg), o.ts, o.sigma);
}
