/**
 * featureflow's public API: `import { … } from 'featureflow'`. The engine comes from core.ts
 * (also published alone as `featureflow/core`, which loads no study code); this entry adds the
 * studies' reusable helpers. Each study's pipeline is `featureflow/studies/<pipeline-name>`.
 */
export * from './core.ts';
export { bipartiteAnalyticCurve, exactCurve } from './nodes/teacher-student/index.ts';
export { alexanderGovern, welchAnova, welchTTest, StatsInputError, TooFewGroupsError, GroupTooSmallError, NonFiniteValueError, ZeroVarianceError } from './nodes/stats/index.ts';
export type { AlexanderGovernResult, WelchAnovaResult, WelchTTestResult, NanPolicy } from './nodes/stats/index.ts';
export { balancingStudy, type BalancingStudyOptions } from './pipelines/data-balancing.ts';
export { renderFigure } from './nodes/plots/index.ts';
export { ridgeRisk, minNormRisk, mpStieltjes, randomFeaturesVarianceLimit, randomFeaturesVarianceFiniteN, vanishingInitRisk, ntkCoefficients, ntkRegimeRisk, gaussHermiteRule, gaussianExpectation, secondLayerLinearRisk, firstLayerLinearRisk, randomFeaturesRisk } from './nodes/two-layer/index.ts';
export type { RidgeRisk, RiskParts, NtkCoefficients, RandomFeaturesRisk, RandomFeaturesRiskOptions, VanishingInitRisk } from './nodes/two-layer/index.ts';
export { twoMoons, type TwoMoons } from './nodes/starvation/two-moons.ts';
export { dualToy, type DualToyOptions, type Dynamics } from './nodes/starvation/dual-toy.ts';
