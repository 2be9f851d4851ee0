/**
 * Welch's one-way ANOVA (Welch 1951) for equal means under unequal variances; its textbook
 * form, which for two groups is Welch's t-test squared (F = t², same denominator df).
 */
import { prepareSamples, type Samples, type TestOptions } from './samples.ts';
import { mean, numpySum, variance } from './summation.ts';
import { fSurvival } from './tails.ts';

export interface WelchAnovaResult {
  /** Welch's F */
  readonly statistic: number;
  /** P(F_{df1,df2} > F) */
  readonly pvalue: number;
  /** [k − 1, (k² − 1) / (3 Σ (1 − w_i/W)² / (n_i − 1))] */
  readonly df: readonly [number, number];
  readonly means: readonly number[];
  readonly variances: readonly number[];
  readonly standardErrors: readonly number[];
  /** w_i = n_i / s_i² (not normalised: W = Σ w_i) */
  readonly weights: readonly number[];
  readonly weightedMean: number;
  readonly undefinedReason?: string;
}

const TEST = 'welchAnova';

export function welchAnova(samples: Samples, options: TestOptions = {}): WelchAnovaResult {
  const prepared = prepareSamples(TEST, samples, options);
  const k = samples.length;
  if (!prepared.ok) {
    const nan = new Array<number>(k).fill(NaN);
    return { statistic: NaN, pvalue: NaN, df: [k - 1, NaN], means: nan, variances: nan, standardErrors: nan, weights: nan, weightedMean: NaN, undefinedReason: prepared.reason };
  }
  const groups = prepared.groups;
  const means = groups.map((g) => mean(g));
  const variances = groups.map((g, i) => variance(g, means[i]));
  const standardErrors = variances.map((v, i) => Math.sqrt(v / groups[i]!.length));
  const weights = variances.map((v, i) => groups[i]!.length / v);
  const W = numpySum(weights);
  const weightedMean = numpySum(weights.map((w, i) => w * means[i]!)) / W;
  const between = numpySum(weights.map((w, i) => w * (means[i]! - weightedMean) ** 2)) / (k - 1);
  const lambda = numpySum(weights.map((w, i) => (1 - w / W) ** 2 / (groups[i]!.length - 1)));
  const denominator = 1 + ((2 * (k - 2)) / (k * k - 1)) * lambda;
  const statistic = between / denominator;
  const df1 = k - 1;
  const df2 = (k * k - 1) / (3 * lambda);
  return { statistic, pvalue: fSurvival(statistic, df1, df2), df: [df1, df2], means, variances, standardErrors, weights, weightedMean };
}
