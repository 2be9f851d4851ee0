/** Every closed form of the study, plain functions with no engine types (for scripts and nodes). */
export { mpStieltjes, type StieltjesAt } from './stieltjes.ts';
export { ridgeRisk, minNormRisk, type RidgeRisk, type RiskParts } from './ridge-risk.ts';
export { randomFeaturesVarianceLimit, randomFeaturesVarianceFiniteN, vanishingInitRisk, type VanishingInitRisk } from './limits.ts';
export { gaussHermiteRule, gaussianExpectation, type QuadratureRule, type GaussianExpectation } from './gauss-hermite.ts';
export { ntkCoefficients, ntkRegimeRisk, type NtkCoefficients } from './ntk-coefficients.ts';
export { secondLayerLinearRisk, firstLayerLinearRisk, type LinearNetworkOptions } from './linear-network-theory.ts';
export { ACTIVATIONS, activation, type Activation, type ActivationName } from './activations.ts';
