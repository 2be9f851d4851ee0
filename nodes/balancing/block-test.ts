/**
 * The thesis' significance test: within a block of methods (with or without attributes), an
 * Alexander–Govern test over the per-seed test worst-group accuracies of the selected
 * configurations. A block the test cannot decide is reported as untestable with the reason.
 */
import { alexanderGovern } from '../stats/alexander-govern.ts';
import { GroupTooSmallError, StatsInputError, TooFewGroupsError, ZeroVarianceError } from '../stats/errors.ts';
import type { MethodResult } from './summary.ts';

export type BlockTest =
  | { readonly testable: true; readonly methods: readonly string[]; readonly statistic: number; readonly pvalue: number; readonly significant: boolean }
  | { readonly testable: false; readonly methods: readonly string[]; readonly reason: string };

export function testBlock(results: readonly MethodResult[], alpha = 0.05): BlockTest {
  const methods = results.map((r) => r.method);
  try {
    const r = alexanderGovern(results.map((m) => m.testWorstGroup));
    return { testable: true, methods, statistic: r.statistic, pvalue: r.pvalue, significant: r.pvalue < alpha };
  } catch (err) {
    if (!(err instanceof StatsInputError)) throw err;
    let reason = err.message;
    if (err instanceof ZeroVarianceError) reason = `${methods[err.group]} has the same test worst-group accuracy (${err.value}) on every seed: zero variance`;
    else if (err instanceof GroupTooSmallError) reason = `${methods[err.group]} has ${err.size} seed${err.size === 1 ? '' : 's'}; the test needs at least 2 per method`;
    else if (err instanceof TooFewGroupsError) reason = `the block has ${err.groups} method${err.groups === 1 ? '' : 's'}; the test compares at least 2`;
    return { testable: false, methods, reason };
  }
}
