/**
 * Garbage collection: keep what the latest run (and the latest completed run) of each pipeline
 * reached — its task records, their objects and a figure's parts — and delete the rest. A dry
 * run by default.
 */
import { stat } from 'node:fs/promises';
import { listRunRecords, type RunRecord } from './run-record.ts';
import type { Store } from './store/store.ts';
import { childObjects } from './store/values.ts';

export interface GcReport {
  readonly dryRun: boolean;
  readonly keptRuns: readonly string[];
  readonly objects: { readonly kept: number; readonly deleted: number; readonly bytes: number };
  readonly records: { readonly kept: number; readonly deleted: number };
  readonly tempFiles: number;
}

export async function collectGarbage(store: Store, options: { dryRun?: boolean } = {}): Promise<GcReport> {
  const dryRun = options.dryRun ?? true;
  const records = await listRunRecords(store);
  const roots: RunRecord[] = [];
  for (const pipeline of new Set(records.map((r) => r.pipeline))) {
    const mine = records.filter((r) => r.pipeline === pipeline);
    roots.push(mine[0]!);
    const completed = mine.find((r) => r.status === 'completed');
    if (completed && completed !== mine[0]) roots.push(completed);
  }
  const keepKeys = new Set<string>();
  const keepObjects = new Set<string>();
  for (const r of roots) {
    for (const t of r.tasks) {
      if (!t.key || !t.output) continue;
      keepKeys.add(t.key);
      keepObjects.add(t.output.hash);
      if (t.output.kind === 'figure') {
        try {
          for (const c of childObjects('figure', await store.getObject(t.output.hash))) keepObjects.add(c);
        } catch {
          // a missing or corrupt manifest keeps nothing more; verify reports it
        }
      }
    }
  }
  let deletedObjects = 0;
  let keptObjects = 0;
  let bytes = 0;
  for await (const h of store.allObjectHashes()) {
    if (keepObjects.has(h)) {
      keptObjects++;
      continue;
    }
    deletedObjects++;
    bytes += (await stat(store.objectPath(h)).catch(() => ({ size: 0 }))).size;
    if (!dryRun) await store.deleteObject(h);
  }
  let deletedRecords = 0;
  let keptRecords = 0;
  for await (const k of store.allRecordKeys()) {
    if (keepKeys.has(k)) {
      keptRecords++;
      continue;
    }
    deletedRecords++;
    if (!dryRun) await store.deleteRecord(k);
  }
  const tempFiles = dryRun ? 0 : await store.cleanTmp();
  return {
    dryRun,
    keptRuns: roots.map((r) => `${r.pipeline} ${r.startedAt} (${r.status})`),
    objects: { kept: keptObjects, deleted: deletedObjects, bytes },
    records: { kept: keptRecords, deleted: deletedRecords },
    tempFiles,
  };
}
