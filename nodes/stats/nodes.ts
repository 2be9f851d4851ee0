/**
 * The tests as pipeline nodes: a long table (value + group columns) in, the test result as JSON
 * out, with the group labels beside the per-group intermediates.
 */
import { z } from 'zod';
import { defineNode } from '../../engine/node.ts';
import { json, table } from '../../engine/ports.ts';
import { alexanderGovern, type AlexanderGovernResult } from './alexander-govern.ts';
import { welchAnova, type WelchAnovaResult } from './welch-anova.ts';
import { welchTTest, type WelchTTestResult } from './welch-t-test.ts';
import { samplesFromTable } from './group-table.ts';

const columns = {
  valueColumn: z.string().min(1).default('value'),
  groupColumn: z.string().min(1).default('group'),
  nanPolicy: z.enum(['raise', 'propagate', 'omit']).default('raise'),
};

export type Labelled<R> = R & { readonly groups: readonly string[] };

export const alexanderGovernNode = defineNode({
  name: 'stats/alexander-govern',
  version: 1,
  description: 'Alexander–Govern test of equal group means under unequal variances',
  module: import.meta.url,
  params: z.object(columns),
  inputs: { data: table },
  output: json<Labelled<AlexanderGovernResult>>(),
  run({ params, inputs }) {
    const { labels, samples } = samplesFromTable(inputs.data, params.valueColumn, params.groupColumn);
    return { ...alexanderGovern(samples, { nanPolicy: params.nanPolicy }), groups: labels };
  },
});

export const welchAnovaNode = defineNode({
  name: 'stats/welch-anova',
  version: 1,
  description: "Welch's one-way ANOVA",
  module: import.meta.url,
  params: z.object(columns),
  inputs: { data: table },
  output: json<Labelled<WelchAnovaResult>>(),
  run({ params, inputs }) {
    const { labels, samples } = samplesFromTable(inputs.data, params.valueColumn, params.groupColumn);
    return { ...welchAnova(samples, { nanPolicy: params.nanPolicy }), groups: labels };
  },
});

export const welchTTestNode = defineNode({
  name: 'stats/welch-t-test',
  version: 1,
  description: "Welch's two-sample t-test (the group column must have exactly two values)",
  module: import.meta.url,
  params: z.object({ ...columns, alternative: z.enum(['two-sided', 'less', 'greater']).default('two-sided') }),
  inputs: { data: table },
  output: json<Labelled<WelchTTestResult>>(),
  run({ params, inputs }) {
    const { labels, samples } = samplesFromTable(inputs.data, params.valueColumn, params.groupColumn);
    if (samples.length !== 2) {
      throw new Error(`stats/welch-t-test: column "${params.groupColumn}" must have exactly 2 groups, got ${samples.length} (${labels.join(', ')})`);
    }
    return { ...welchTTest(samples[0]!, samples[1]!, { nanPolicy: params.nanPolicy, alternative: params.alternative }), groups: labels };
  },
});
