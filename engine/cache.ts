/**
 * Is a task's result in the store, whole, verified and consistent? A record is served only when
 * it reads back sealed (or from before seals), its output object exists with the recorded hash
 * and size, that object is of the kind the task's node declares, and a figure's parts are whole.
 * Anything else is a reason to recompute, never to serve.
 */
import type { PortKind } from './ports.ts';
import { objectKindProblem } from './store/object-kind.ts';
import type { Store } from './store/store.ts';
import type { TaskRecord } from './store/records.ts';
import { childObjects } from './store/values.ts';

export type CacheState =
  | { readonly state: 'cached'; readonly record: TaskRecord }
  | { readonly state: 'absent' }
  | { readonly state: 'record-corrupt' }
  | { readonly state: 'record-inconsistent'; readonly record: TaskRecord; readonly problems: readonly string[] }
  | { readonly state: 'object-missing' | 'object-corrupt'; readonly record: TaskRecord };

/** What the caller knows the task must produce (the node's declared output kind). */
export interface CacheExpectation {
  readonly kind?: PortKind;
}

/**
 * Problems of a readable record whose output object is `bytes` (already hash- and size-checked):
 * a kind other than the declared one, or an object that is not of the recorded kind.
 */
export function recordConsistencyProblems(record: TaskRecord, bytes: Uint8Array, expected: CacheExpectation = {}): string[] {
  const problems: string[] = [];
  if (expected.kind !== undefined && record.output.kind !== expected.kind) {
    problems.push(`its output is a ${record.output.kind} but the node declares a ${expected.kind}`);
  }
  const notKind = objectKindProblem(record.output.kind, bytes);
  if (notKind) problems.push(`its output object ${record.output.hash.slice(0, 12)}… ${notKind}`);
  return problems;
}

/** Pass `expected.kind` (the node's output kind) so a record of another kind counts as inconsistent. */
export async function checkCache(store: Store, key: string, expected: CacheExpectation = {}): Promise<CacheState> {
  const record = await store.readRecord(key);
  if (record === undefined) return { state: 'absent' };
  if (record === 'corrupt') return { state: 'record-corrupt' };
  const object = await store.checkedObject(record.output.hash, record.output.bytes);
  if (object.state !== 'ok') return { state: object.state === 'missing' ? 'object-missing' : 'object-corrupt', record };
  const problems = recordConsistencyProblems(record, object.bytes, expected);
  if (problems.length > 0) return { state: 'record-inconsistent', record, problems };
  if (record.output.kind === 'figure') {
    for (const child of childObjects('figure', object.bytes)) {
      const s = await store.objectState(child);
      if (s !== 'ok') return { state: s === 'missing' ? 'object-missing' : 'object-corrupt', record };
    }
  }
  return { state: 'cached', record };
}

export function describeCacheProblem(state: CacheState): string | undefined {
  switch (state.state) {
    case 'record-corrupt':
      return 'task record is corrupt (unreadable, wrong key, or changed after it was written): recomputing';
    case 'record-inconsistent':
      return `task record is inconsistent (${state.problems.join('; ')}): recomputing, it is never served`;
    case 'object-missing':
      return `output object ${state.record.output.hash.slice(0, 12)}… is missing: recomputing`;
    case 'object-corrupt':
      return `output object ${state.record.output.hash.slice(0, 12)}… is corrupt (hash mismatch): recomputing, the bad copy is never used`;
    default:
      return undefined;
  }
}
