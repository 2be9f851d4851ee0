/**
 * Two-layer networks in the proportional limit (Ba et al., ICLR 2020): the closed forms and
 * `randomFeaturesRisk` for scripts, and the nodes the pipeline wires.
 */
export * from './closed-forms.ts';
export { randomFeaturesRisk, randomFeaturesDraw, randomFeaturesFit, randomFeaturesParts, reluSecondMoments, type RandomFeaturesFit, type RandomFeaturesRisk, type RandomFeaturesRiskOptions } from './random-features.ts';
export { linearNetworkDraw, type LinearTraining } from './linear-network-sim.ts';
export { ridgeDraw } from './ridge-sim.ts';
export { vanishingInitTrajectory, plateauRisk, type Trajectory } from './vanishing-init.ts';
export { ntkRegimeRun, type NtkRun } from './ntk-regime.ts';
export { empiricalNtk, compareKernel, type KernelComparison } from './empirical-ntk.ts';
export { linearNetworkCell, randomFeaturesCell } from './nodes/sweep-cells.ts';
export { vanishingInitNode } from './nodes/vanishing-init.ts';
export { ntkRegimeNode, empiricalKernelNode } from './nodes/ntk.ts';
export { linearNetworkFigure, randomFeaturesFigure } from './figures/sweep-figures.ts';
export { vanishingInitFigure } from './figures/vanishing-figure.ts';
export { ntkRegimeFigure, empiricalKernelFigure } from './figures/ntk-figures.ts';
