/** The pure compute of the teacher–student study (no engine types), for scripts and tests. */
export { haarOrthogonal } from './haar.ts';
export { bipartiteModulation, bipartiteSpectrum, modulationFromMatrix, modulationFromSpectrum, type Modulation } from './modulation.ts';
export { drawTeacher, studentInputs, type TeacherDraw } from './teacher.ts';
export {
  gramSpectrum,
  spectrumOfGram,
  learnedFraction,
  learnedFractions,
  gdGains,
  closedFormWeights,
  ridgeProxyWeights,
  targetsInEigenbasis,
  type GramSpectrum,
} from './gram-spectrum.ts';
export { gradientDescentLoop, gradientDescentEigenbasis, qPenaltySchedule, logSpacedSteps, type GdLoopOptions } from './gd-loop.ts';
export { prepareExactCurve, exactPoint, exactCurveFromPrepared, type CurveArrays } from './exact-curve.ts';
export { bipartiteAnalyticCurve, replicaA, type AnalyticCurve, type AnalyticCurveOptions, type AnalyticVariant } from './analytic-curve.ts';
export { alignmentAndNorm, generalisationError, empiricalTestError, type GeneralisationForm } from './metrics.ts';
export { drawBipartiteSetup, setupFromParts, gdClosedFormCurve, ridgeProxyCurve, exactCurveForDraw, type SetupDraw, type MeasuredCurve } from './simulate.ts';
export { exactCurve, type ExactCurveOptions } from './exact-curve-api.ts';
export { logSpace, linSpace } from './dense.ts';
