export { alexanderGovern, type AlexanderGovernResult } from './alexander-govern.ts';
export { welchAnova, type WelchAnovaResult } from './welch-anova.ts';
export { welchTTest, type WelchTTestResult, type WelchTTestOptions, type Alternative } from './welch-t-test.ts';
export { type NanPolicy, type TestOptions, type Samples } from './samples.ts';
export { StatsInputError, TooFewGroupsError, GroupTooSmallError, NonFiniteValueError, ZeroVarianceError } from './errors.ts';
export { chiSquareSurvival, fSurvival, tSurvival, tTwoSided } from './tails.ts';
export { alexanderGovernNode, welchAnovaNode, welchTTestNode, type Labelled } from './nodes.ts';
export { samplesFromTable, type GroupedSamples } from './group-table.ts';
export { gatheredTestNode, samplesFromGathered, type GatheredTestResult } from './gathered.ts';
