/**
 * The study's summary step: every method's runs, gathered over the whole sweep, in; the
 * thesis-style table out. Built from the list of methods, so a new method is a new entry
 * (its sampler and loss are nodes of their own).
 */
import { z } from 'zod';
import { defineNode } from '../../engine/node.ts';
import { json, many, table, type ManyPort } from '../../engine/ports.ts';
import { testBlock } from './block-test.ts';
import { methodsParam, type MethodInfo } from './methods.ts';
import { studyTable } from './result-table.ts';
import { summariseMethod, type MethodResult, type RunCell } from './summary.ts';
import type { TrainingRun } from './train/run.ts';
import { selector } from './train/selection.ts';

export const tableParams = z.object({
  /** the dataset's name; the thesis' benchmarks (CelebA, Waterbirds, MultiNLI, CivilComments) get the thesis' numbers beside */
  dataset: z.string().min(1).default('synthetic'),
  selector: selector.default('worst-group-val'),
  seedAxis: z.string().min(1).default('seed'),
  alpha: z.number().gt(0).lt(1).default(0.05),
});

export function summariseStudy(
  methods: readonly MethodInfo[],
  runs: Readonly<Record<string, readonly RunCell[]>>,
  params: z.output<typeof tableParams>,
  metadata: Readonly<Record<string, unknown>> = {},
) {
  const results: MethodResult[] = methods.map((m) => summariseMethod(m, runs[m.name] ?? [], params.selector, params.seedAxis));
  const blocks = {
    withoutAttributes: testBlock(results.filter((r) => !r.usesAttributes), params.alpha),
    withAttributes: testBlock(results.filter((r) => r.usesAttributes), params.alpha),
  };
  return { results, blocks, table: studyTable({ dataset: params.dataset, results, blocks, metadata: { ...metadata, selector: params.selector, alpha: params.alpha } }) };
}

/** one input port per method; the list itself is the `methods` param (in the key), defaulting to `methods` */
export function worstGroupTableNode(methods: readonly MethodInfo[]) {
  const inputs: Record<string, ManyPort<TrainingRun>> = {};
  for (const m of methods) inputs[m.name] = many(json<TrainingRun>());
  return defineNode({
    name: 'balancing/worst-group-table',
    version: 1,
    description: 'per method: best configuration, test worst-group accuracy mean ± std over seeds, Alexander–Govern per block',
    module: import.meta.url,
    params: tableParams.extend({ methods: methodsParam(methods) }),
    inputs,
    output: table,
    run: ({ inputs: gathered, params }) => {
      const runs: Record<string, readonly RunCell[]> = {};
      for (const m of params.methods) runs[m.name] = gathered[m.name] as readonly RunCell[];
      return summariseStudy(params.methods, runs, params, { methods: params.methods.map((m) => m.name) }).table;
    },
  });
}
