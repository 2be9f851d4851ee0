/**
 * The tests on values gathered from a sweep: every cell of an upstream step yields a number (or
 * an array of numbers); the cells are grouped by one of their axes (e.g. `method`), and the
 * groups compared. The typical use is the thesis' own: per-seed accuracies of several methods.
 */
import { z } from 'zod';
import { defineNode } from '../../engine/node.ts';
import { json, many, type GatheredValue } from '../../engine/ports.ts';
import { alexanderGovern } from './alexander-govern.ts';
import type { GroupedSamples } from './group-table.ts';
import { welchAnova } from './welch-anova.ts';
import { welchTTest } from './welch-t-test.ts';

export function samplesFromGathered(values: ReadonlyArray<GatheredValue<number | readonly number[]>>, groupAxis: string): GroupedSamples {
  const byGroup = new Map<string, number[]>();
  for (const { cell, value } of values) {
    if (!(groupAxis in cell)) throw new Error(`stats: gathered cells have no axis "${groupAxis}" (axes: ${Object.keys(cell).join(', ')})`);
    const key = String(cell[groupAxis]);
    let list = byGroup.get(key);
    if (!list) byGroup.set(key, (list = []));
    if (typeof value === 'number') list.push(value);
    else list.push(...value);
  }
  const labels = [...byGroup.keys()].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  return { labels, samples: labels.map((l) => Float64Array.from(byGroup.get(l)!)) };
}

export interface GatheredTestResult {
  readonly test: string;
  readonly groups: readonly string[];
  readonly statistic: number;
  readonly pvalue: number;
  readonly df: number | readonly number[];
  readonly means: readonly number[];
  readonly undefinedReason?: string;
}

export const gatheredTestNode = defineNode({
  name: 'stats/gathered-test',
  version: 1,
  description: 'Alexander–Govern, Welch ANOVA or Welch t over sweep cells grouped by one axis',
  module: import.meta.url,
  params: z.object({
    test: z.enum(['alexander-govern', 'welch-anova', 'welch-t-test']).default('alexander-govern'),
    groupAxis: z.string().min(1),
    nanPolicy: z.enum(['raise', 'propagate', 'omit']).default('raise'),
  }),
  inputs: { values: many(json<number | readonly number[]>()) },
  output: json<GatheredTestResult>(),
  run({ params, inputs }): GatheredTestResult {
    const { labels, samples } = samplesFromGathered(inputs.values, params.groupAxis);
    const options = { nanPolicy: params.nanPolicy };
    if (params.test === 'welch-t-test') {
      if (samples.length !== 2) throw new Error(`stats/gathered-test: welch-t-test needs exactly 2 values of axis "${params.groupAxis}", got ${samples.length}`);
      const r = welchTTest(samples[0]!, samples[1]!, options);
      return { test: params.test, groups: labels, statistic: r.statistic, pvalue: r.pvalue, df: r.df, means: r.means, ...(r.undefinedReason ? { undefinedReason: r.undefinedReason } : {}) };
    }
    const r = params.test === 'welch-anova' ? welchAnova(samples, options) : alexanderGovern(samples, options);
    return { test: params.test, groups: labels, statistic: r.statistic, pvalue: r.pvalue, df: r.df, means: r.means, ...(r.undefinedReason ? { undefinedReason: r.undefinedReason } : {}) };
  },
});
