/** Is a task's result in the store, whole and verified? */
import type { Store } from './store/store.ts';
import type { TaskRecord } from './store/records.ts';
import { childObjects } from './store/values.ts';

export type CacheState =
  | { readonly state: 'cached'; readonly record: TaskRecord }
  | { readonly state: 'absent' }
  | { readonly state: 'record-corrupt' }
  | { readonly state: 'object-missing' | 'object-corrupt'; readonly record: TaskRecord };

export async function checkCache(store: Store, key: string): Promise<CacheState> {
  const record = await store.readRecord(key);
  if (record === undefined) return { state: 'absent' };
  if (record === 'corrupt') return { state: 'record-corrupt' };
  const objectState = await store.objectState(record.output.hash, record.output.bytes);
  if (objectState !== 'ok') return { state: objectState === 'missing' ? 'object-missing' : 'object-corrupt', record };
  if (record.output.kind === 'figure') {
    const bytes = await store.getObject(record.output.hash);
    for (const child of childObjects('figure', bytes)) {
      const s = await store.objectState(child);
      if (s !== 'ok') return { state: s === 'missing' ? 'object-missing' : 'object-corrupt', record };
    }
  }
  return { state: 'cached', record };
}

export function describeCacheProblem(state: CacheState): string | undefined {
  switch (state.state) {
    case 'record-corrupt':
      return 'task record is corrupt (unreadable JSON or wrong key): recomputing';
    case 'object-missing':
      return `output object ${state.record.output.hash.slice(0, 12)}… is missing: recomputing`;
    case 'object-corrupt':
      return `output object ${state.record.output.hash.slice(0, 12)}… is corrupt (hash mismatch): recomputing, the bad copy is never used`;
    default:
      return undefined;
  }
}
