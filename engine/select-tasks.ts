/**
 * `--until <step>`: the tasks of the named steps and everything they need, nothing after.
 * Task ids are positions in the list, so the kept tasks are renumbered and their inputs remapped.
 */
import { PipelineError } from './errors.ts';
import type { ExpandedPipeline, TaskSpec } from './expand.ts';

export function untilSteps(expanded: ExpandedPipeline, steps: readonly string[]): ExpandedPipeline {
  const known = new Set(expanded.tasks.map((t) => t.step));
  const unknown = steps.filter((s) => !known.has(s));
  if (unknown.length > 0) throw new PipelineError(unknown.map((s) => `--until ${s}: pipeline ${expanded.pipeline.name} has no step "${s}" (steps: ${[...known].join(', ')})`));
  const keep = new Set<number>();
  const stack = expanded.tasks.filter((t) => steps.includes(t.step)).map((t) => t.id);
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (keep.has(id)) continue;
    keep.add(id);
    for (const input of Object.values(expanded.tasks[id]!.inputs)) stack.push(...input.tasks);
  }
  const newId = new Map<number, number>();
  const tasks: TaskSpec[] = [];
  for (const t of expanded.tasks) {
    if (!keep.has(t.id)) continue;
    newId.set(t.id, tasks.length);
    const inputs = Object.fromEntries(Object.entries(t.inputs).map(([n, i]) => [n, { ...i, tasks: i.tasks.map((u) => newId.get(u)!) }]));
    tasks.push({ ...t, id: tasks.length, inputs });
  }
  const outputs = new Map([...expanded.outputs].map(([name, ids]) => [name, ids.filter((i) => keep.has(i)).map((i) => newId.get(i)!)] as const).filter(([, ids]) => ids.length > 0));
  return { ...expanded, tasks, outputs };
}
