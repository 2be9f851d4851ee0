/**
 * Welch's two-sample t-test (unequal variances), as scipy.stats.ttest_ind(a, b, equal_var=False).
 */
import { prepareSamples, type TestOptions } from './samples.ts';
import { mean, variance } from './summation.ts';
import { tSurvival, tTwoSided } from './tails.ts';

export type Alternative = 'two-sided' | 'less' | 'greater';

export interface WelchTTestOptions extends TestOptions {
  /** alternative hypothesis about mean(a) − mean(b); default 'two-sided' */
  readonly alternative?: Alternative;
}

export interface WelchTTestResult {
  readonly statistic: number;
  readonly pvalue: number;
  /** Welch–Satterthwaite degrees of freedom */
  readonly df: number;
  readonly means: readonly [number, number];
  readonly variances: readonly [number, number];
  readonly standardErrors: readonly [number, number];
  /** w_i = n_i / s_i², the precisions of the two means */
  readonly weights: readonly [number, number];
  readonly undefinedReason?: string;
}

const TEST = 'welchTTest';

export function welchTTest(a: ArrayLike<number>, b: ArrayLike<number>, options: WelchTTestOptions = {}): WelchTTestResult {
  const prepared = prepareSamples(TEST, [a, b], options, 'all');
  if (!prepared.ok) {
    return { statistic: NaN, pvalue: NaN, df: NaN, means: [NaN, NaN], variances: [NaN, NaN], standardErrors: [NaN, NaN], weights: [NaN, NaN], undefinedReason: prepared.reason };
  }
  const [ga, gb] = prepared.groups as [Float64Array, Float64Array];
  const ma = mean(ga), mb = mean(gb);
  const va = variance(ga, ma), vb = variance(gb, mb);
  const na = ga.length, nb = gb.length;
  // scipy's _unequal_var_ttest_denom, operation for operation
  const vn1 = va / na, vn2 = vb / nb;
  const df = (vn1 + vn2) ** 2 / (vn1 ** 2 / (na - 1) + vn2 ** 2 / (nb - 1));
  const denom = Math.sqrt(vn1 + vn2);
  const statistic = (ma - mb) / denom;
  const alternative = options.alternative ?? 'two-sided';
  const pvalue = alternative === 'two-sided' ? tTwoSided(statistic, df) : alternative === 'greater' ? tSurvival(statistic, df) : tSurvival(-statistic, df);
  return {
    statistic,
    pvalue,
    df,
    means: [ma, mb],
    variances: [va, vb],
    standardErrors: [Math.sqrt(vn1), Math.sqrt(vn2)],
    weights: [na / va, nb / vb],
  };
}
