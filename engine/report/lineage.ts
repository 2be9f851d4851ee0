/**
 * Lineage: every task of the run with what its record says (params, timing, host, backends), and
 * for each output cell the tasks behind it (itself and everything upstream, transitively).
 */
import type { ExpandedPipeline } from '../expand.ts';
import type { RunRecordTask } from '../run-record.ts';
import type { TaskRecord } from '../store/records.ts';
import type { Store } from '../store/store.ts';
import type { LineageTask, TaskState } from './model.ts';

/** Task records of the tasks that have an output, read a few at a time (587 small JSON files for sparse DD). */
export async function readTaskRecords(store: Store, tasks: readonly RunRecordTask[]): Promise<Map<string, TaskRecord>> {
  const out = new Map<string, TaskRecord>();
  const withKey = tasks.filter((t) => t.key && (t.status === 'computed' || t.status === 'cached'));
  const BATCH = 64;
  for (let i = 0; i < withKey.length; i += BATCH) {
    const batch = withKey.slice(i, i + BATCH);
    const read = await Promise.all(batch.map((t) => store.readRecord(t.key!).catch(() => undefined)));
    read.forEach((r, j) => {
      if (r && r !== 'corrupt') out.set(batch[j]!.task, r);
    });
  }
  return out;
}

export function lineageTasks(expanded: ExpandedPipeline, runTasks: ReadonlyMap<string, RunRecordTask>, records: ReadonlyMap<string, TaskRecord>): LineageTask[] {
  return expanded.tasks.map((t) => {
    const r = runTasks.get(t.name);
    const rec = records.get(t.name);
    return {
      name: t.name,
      step: t.step,
      node: t.node.name,
      state: (r?.status ?? 'not-run') as TaskState,
      params: t.params,
      ...(r?.key ? { key: r.key } : {}),
      ...(rec ? { durationMs: Math.round(rec.timing.durationMs), startedAt: rec.timing.startedAt, host: rec.host } : {}),
      ...(rec && Object.keys(rec.components.backends).length > 0 ? { backends: rec.components.backends } : {}),
      ...(r?.failure ? { error: r.failure.error } : {}),
    };
  });
}

/** Task id → itself and every task upstream of it, for the given task ids (memoised over the DAG). */
export function upstreamClosure(expanded: ExpandedPipeline, ids: readonly number[]): Map<number, number[]> {
  const memo = new Map<number, Set<number>>();
  const closure = (id: number): Set<number> => {
    const known = memo.get(id);
    if (known) return known;
    const set = new Set<number>([id]);
    for (const input of Object.values(expanded.tasks[id]!.inputs)) for (const u of input.tasks) for (const x of closure(u)) set.add(x);
    memo.set(id, set);
    return set;
  };
  // tasks come in dependency order, so walking the lowest ids first keeps the recursion shallow
  for (const t of expanded.tasks) if (t.id <= Math.max(...ids, 0)) closure(t.id);
  return new Map(ids.map((id) => [id, [...closure(id)].sort((a, b) => a - b)]));
}
