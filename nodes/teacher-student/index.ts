/**
 * The teacher–student study (thesis ch. 4): pure compute for scripts, and the nodes a pipeline wires.
 * `bipartiteAnalyticCurve` and `exactCurve` return `{ t, R, Q, EG }` arrays.
 */
export * from './compute.ts';
export { teacherDataNode } from './nodes/teacher-data.ts';
export { modulationNode } from './nodes/modulation.ts';
export { studentInputsNode } from './nodes/student-inputs.ts';
export { gdClosedFormCurveNode, ridgeProxyCurveNode, exactCurveNode } from './nodes/curves.ts';
export { analyticCurveNode } from './nodes/analytic-curve.ts';
export { gdLoopCurveNode } from './nodes/gd-loop-curve.ts';
export { figure1Node } from './figures/figure-1.ts';
export { figure3Node, FIG3_SOURCES } from './figures/figure-3.ts';
export { figure4Node } from './figures/figure-4.ts';
export { figure5Node, FIG5_SOURCES } from './figures/figure-5.ts';
export { figure6Node } from './figures/figure-6.ts';
