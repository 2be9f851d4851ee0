/**
 * A dry run: for every task, cached or to compute, and why. The reason compares the task's key
 * components now with those of the last run that had the same cell.
 */
import { fingerprintCacheOf } from './fingerprint-cache.ts';
import { checkCache } from './cache.ts';
import type { TaskSpec } from './expand.ts';
import { keyChanges, taskKey, type KeyChange, type KeyComponents } from './key.ts';
import type { Pipeline } from './pipeline.ts';
import { prepareRun, type PrepareOptions, type PreparedRun } from './prepare.ts';
import { listRunRecords, type RunRecord, type RunRecordTask } from './run-record.ts';
import type { Store } from './store/store.ts';

export type PlanReason =
  | 'cached'
  | 'new'
  | 'params changed'
  | 'code changed'
  | 'node version changed'
  | 'dependency version changed'
  | 'input changed'
  | 'backend changed'
  | 'step renamed'
  | 'upstream to compute'
  | 'object missing'
  | 'object corrupt'
  | 'record corrupt'
  | 'record inconsistent'
  | 'not computed yet';

export interface PlanEntry {
  readonly task: string;
  readonly step: string;
  readonly status: 'cached' | 'compute';
  readonly reasons: readonly PlanReason[];
  /** undefined while an upstream is still to compute (its output bytes are unknown) */
  readonly key?: string;
}

const reasonOf: Record<KeyChange, PlanReason> = {
  node: 'code changed',
  step: 'step renamed',
  version: 'node version changed',
  params: 'params changed',
  code: 'code changed',
  deps: 'dependency version changed',
  inputs: 'input changed',
  backends: 'backend changed',
};

/** The newest recorded appearance of each task name in the pipeline's run history. */
export function lastSeen(records: readonly RunRecord[]): Map<string, RunRecordTask> {
  const seen = new Map<string, RunRecordTask>();
  for (const r of records) {
    for (const t of r.tasks) if (t.components && !seen.has(t.task)) seen.set(t.task, t);
  }
  return seen;
}

export interface PlanResult {
  readonly prepared: PreparedRun;
  readonly entries: readonly PlanEntry[];
}

export async function planPipeline(pipeline: Pipeline, store: Store, options: PrepareOptions = {}): Promise<PlanResult> {
  const prepared = await prepareRun(pipeline, { fingerprintCache: fingerprintCacheOf(store), ...options });
  const history = lastSeen(await listRunRecords(store, pipeline.name));
  const tasks = prepared.expanded.tasks;
  const hashes = new Array<string | undefined>(tasks.length);
  const entries: PlanEntry[] = [];
  // one directory listing instead of a failed open per uncomputed task
  const recorded = new Set<string>();
  for await (const k of store.allRecordKeys()) recorded.add(k);
  for (const t of tasks) {
    const inputs = currentInputHashes(t, hashes);
    if (!inputs) {
      entries.push({ task: t.name, step: t.step, status: 'compute', reasons: ['upstream to compute'] });
      continue;
    }
    const components = prepared.componentsOf(t, inputs);
    const key = taskKey(components);
    const cache = recorded.has(key) ? await checkCache(store, key, { kind: t.node.output.kind }) : ({ state: 'absent' } as const);
    if (cache.state === 'cached') {
      hashes[t.id] = cache.record.output.hash;
      entries.push({ task: t.name, step: t.step, status: 'cached', reasons: ['cached'], key });
      continue;
    }
    entries.push({ task: t.name, step: t.step, status: 'compute', reasons: reasonsFor(cache.state, components, history.get(t.name)), key });
  }
  return { prepared, entries };
}

export function currentInputHashes(t: TaskSpec, hashes: ReadonlyArray<string | undefined>): Record<string, string | string[]> | undefined {
  const out: Record<string, string | string[]> = {};
  for (const [name, input] of Object.entries(t.inputs)) {
    const hs = input.tasks.map((u) => hashes[u]);
    if (hs.some((h) => h === undefined)) return undefined;
    out[name] = input.gather ? (hs as string[]) : hs[0]!;
  }
  return out;
}

function reasonsFor(state: string, now: KeyComponents, before: RunRecordTask | undefined): PlanReason[] {
  if (state === 'object-missing') return ['object missing'];
  if (state === 'object-corrupt') return ['object corrupt'];
  if (state === 'record-corrupt') return ['record corrupt'];
  if (state === 'record-inconsistent') return ['record inconsistent'];
  if (!before?.components) return ['new'];
  const changes = keyChanges(before.components, now);
  if (changes.length === 0) return before.status === 'computed' || before.status === 'cached' ? ['object missing'] : ['not computed yet'];
  return [...new Set(changes.map((c) => reasonOf[c]))];
}
