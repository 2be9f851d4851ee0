/**
 * Thesis ch. 8, Fig. 2: worst-group accuracy against epoch, per split, for each method's selected
 * configuration (mean over seeds).
 */
import { z } from 'zod';
import { defineNode } from '../../engine/node.ts';
import { figure, json, many, type ManyPort } from '../../engine/ports.ts';
import { columnsTable } from '../../engine/table.ts';
import { renderFigure } from '../plots/index.ts';
import { SPLITS } from './dataset.ts';
import { methodsParam, type MethodInfo } from './methods.ts';
import { summariseMethod, type RunCell } from './summary.ts';
import { worstGroup } from './train/evaluate.ts';
import type { TrainingRun } from './train/run.ts';
import { selector } from './train/selection.ts';

export function worstGroupCurves(methods: readonly MethodInfo[], runs: Readonly<Record<string, readonly RunCell[]>>, sel: z.output<typeof selector>, seedAxis = 'seed') {
  const method: string[] = [], split: string[] = [], epoch: number[] = [], acc: number[] = [];
  for (const m of methods) {
    const best = summariseMethod(m, runs[m.name] ?? [], sel, seedAxis);
    const key = JSON.stringify(best.config);
    const chosen = (runs[m.name] ?? []).filter((c) => JSON.stringify(Object.fromEntries(Object.entries(c.cell).filter(([k]) => k !== seedAxis))) === key);
    const epochs = Math.min(...chosen.map((c) => c.value.averageAccuracy.val.length));
    for (const s of SPLITS) {
      for (let e = 0; e < epochs; e++) {
        method.push(m.name);
        split.push(s);
        epoch.push(e + 1);
        acc.push((100 * chosen.reduce((t, c) => t + worstGroup(c.value.groupAccuracy[s][e]!), 0)) / chosen.length);
      }
    }
  }
  return columnsTable({ method, split, epoch, worst_group_accuracy: acc }, { selector: sel, seeds: 'mean over seeds of the selected configuration', units: 'percent' });
}

/** one input port per method; the list itself is the `methods` param (in the key), defaulting to `methods` */
export function curvesNode(methods: readonly MethodInfo[]) {
  const inputs: Record<string, ManyPort<TrainingRun>> = {};
  for (const m of methods) inputs[m.name] = many(json<TrainingRun>());
  return defineNode({
    name: 'balancing/worst-group-curves',
    version: 1,
    description: 'worst-group accuracy against epoch per split for each method (thesis ch. 8, Fig. 2)',
    module: import.meta.url,
    params: z.object({ selector: selector.default('worst-group-val'), seedAxis: z.string().default('seed'), methods: methodsParam(methods) }),
    inputs,
    output: figure,
    run: async ({ inputs: gathered, params }) => {
      const runs: Record<string, readonly RunCell[]> = {};
      for (const m of params.methods) runs[m.name] = gathered[m.name] as readonly RunCell[];
      const table = worstGroupCurves(params.methods, runs, params.selector, params.seedAxis);
      return renderFigure({
        table,
        caption: 'Worst-group accuracy during training (selected configuration, mean over seeds)',
        spec: {
          mark: { type: 'line' },
          encoding: {
            x: { field: 'epoch', type: 'quantitative', title: 'epoch' },
            y: { field: 'worst_group_accuracy', type: 'quantitative', title: 'worst-group accuracy (%)', scale: { domain: [0, 100] } },
            color: { field: 'method', type: 'nominal' },
            column: { field: 'split', type: 'nominal', sort: [...SPLITS] },
          },
        },
        width: 260,
        height: 200,
      });
    },
  });
}
