/** The pipeline's steps as the page draws them: wiring, sweep axes, and how many cells ended how. */
import type { ExpandedPipeline } from '../expand.ts';
import { isAxisRef, type Pipeline } from '../pipeline.ts';
import type { StepView, TaskState } from './model.ts';

function axesOf(pipeline: Pipeline, step: string): string[] {
  const def = pipeline.steps.get(step);
  if (!def) return [];
  return [...new Set(Object.values(def.params).filter(isAxisRef).map((a) => a.axis))];
}

/** One view per step in the expanded pipeline, in dependency order; `stateOf` gives each task's state. */
export function stepViews(expanded: ExpandedPipeline, stateOf: (taskName: string) => TaskState): StepView[] {
  const pipeline = expanded.pipeline;
  const byStep = new Map<string, { cells: number; counts: Partial<Record<TaskState, number>> }>();
  for (const t of expanded.tasks) {
    const s = byStep.get(t.step) ?? { cells: 0, counts: {} };
    const state = stateOf(t.name);
    s.cells++;
    s.counts[state] = (s.counts[state] ?? 0) + 1;
    byStep.set(t.step, s);
  }
  const outputsOf = new Map<string, string[]>();
  for (const [name, step] of pipeline.outputs) outputsOf.set(step, [...(outputsOf.get(step) ?? []), name]);
  return [...byStep].map(([name, s]) => {
    const def = pipeline.steps.get(name)!;
    return {
      name,
      node: def.node.name,
      cells: s.cells,
      axes: axesOf(pipeline, name),
      counts: s.counts,
      inputs: Object.entries(def.inputs).map(([input, wire]) => ({ from: wire.step, input, gather: wire.gather !== null })),
      outputs: outputsOf.get(name) ?? [],
    };
  });
}
