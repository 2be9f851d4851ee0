/**
 * The Alexander–Govern test (Alexander & Govern 1994) for equal means under unequal variances,
 * computed in the same order as scipy.stats.alexandergovern.
 */
import { prepareSamples, type Samples, type TestOptions } from './samples.ts';
import { mean, numpySum, variance } from './summation.ts';
import { chiSquareSurvival } from './tails.ts';

export interface AlexanderGovernResult {
  /** A = Σ z_i² */
  readonly statistic: number;
  /** P(χ²_{k−1} > A) */
  readonly pvalue: number;
  /** k − 1 */
  readonly df: number;
  readonly means: readonly number[];
  readonly standardErrors: readonly number[];
  /** normalised inverse squared standard errors (sum to 1) */
  readonly weights: readonly number[];
  /** the variance-weighted common mean */
  readonly weightedMean: number;
  readonly tStatistics: readonly number[];
  /** the normalised t statistics */
  readonly z: readonly number[];
  /** set when the result is NaN by request (nanPolicy 'propagate' / 'omit'): why */
  readonly undefinedReason?: string;
}

const TEST = 'alexanderGovern';

export function alexanderGovern(samples: Samples, options: TestOptions = {}): AlexanderGovernResult {
  const prepared = prepareSamples(TEST, samples, options);
  const k = samples.length;
  if (!prepared.ok) {
    const nan = new Array<number>(k).fill(NaN);
    return { statistic: NaN, pvalue: NaN, df: k - 1, means: nan, standardErrors: nan, weights: nan, weightedMean: NaN, tStatistics: nan, z: nan, undefinedReason: prepared.reason };
  }
  const groups = prepared.groups;
  const means = groups.map((g) => mean(g));
  const standardErrors = groups.map((g, i) => Math.sqrt(variance(g, means[i])) / Math.sqrt(g.length));
  const invSq = standardErrors.map((se) => 1 / (se * se));
  const invSum = numpySum(invSq);
  const weights = invSq.map((v) => v / invSum);
  const weightedMean = numpySum(weights.map((w, i) => w * means[i]!));
  const tStatistics = means.map((m, i) => (m - weightedMean) / standardErrors[i]!);
  const z = tStatistics.map((t, i) => {
    const v = groups[i]!.length - 1;
    const a = v - 0.5;
    const b = 48 * a * a;
    const c = Math.sqrt(a * Math.log(1 + (t * t) / v));
    return c + (c ** 3 + 3 * c) / b - (4 * c ** 7 + 33 * c ** 5 + 240 * c ** 3 + 855 * c) / (b * b * 10 + 8 * b * c ** 4 + 1000 * b);
  });
  const statistic = numpySum(z.map((zi) => zi * zi));
  return {
    statistic,
    pvalue: chiSquareSurvival(statistic, k - 1),
    df: k - 1,
    means,
    standardErrors,
    weights,
    weightedMean,
    tStatistics,
    z,
  };
}
