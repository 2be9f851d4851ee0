/**
 * Garbage collection: keep what the latest run (and the latest completed run) of each pipeline
 * and profile reached, and of each pipeline's own default sweep (no profile, no `--set`) — its
 * task records, the objects those records name and a figure's parts — and delete the rest. An
 * exploratory `--set` run therefore never makes gc delete the results of the file's own sweep. A dry run by default; it takes no lock and writes nothing, so it works on a
 * read-only store.
 *
 * gc deletes only what it can prove dead. `--delete` refuses when a run record cannot be read
 * (its run's tasks might be live) or when task records exist but no run record does (nothing
 * proves what is live), and it holds the store (activity.ts) so no run commits an object that
 * gc then deletes before the run records it.
 */
import { stat } from 'node:fs/promises';
import { readRunRecords, type RunRecord } from './run-record.ts';
import { exclusiveStore } from './store/activity.ts';
import { StoreError } from './store/errors.ts';
import type { Store } from './store/store.ts';
import { childObjects } from './store/values.ts';

export interface GcReport {
  readonly dryRun: boolean;
  readonly keptRuns: readonly string[];
  /** run records gc could not read: a dry run reports them, --delete refuses */
  readonly unreadableRuns: readonly string[];
  readonly objects: { readonly kept: number; readonly deleted: number; readonly bytes: number };
  readonly records: { readonly kept: number; readonly deleted: number };
  /** what (would be) deleted, per pipeline and step: task records */
  readonly deletedByStep: Readonly<Record<string, Readonly<Record<string, number>>>>;
  readonly tempFiles: number;
}

/** gc --delete would delete what it cannot prove dead. */
export class GcRefusedError extends StoreError {
  constructor(message: string, store: string) {
    super(message, { store });
    this.name = 'GcRefusedError';
  }
}

/** A run of the pipeline file as written: no profile, no overrides (older records count as such). */
const isDefaultSweep = (r: RunRecord) => !r.request || (!r.request.profile && Object.keys(r.request.overrides).length === 0 && !r.request.until);

/** The retention groups: each (pipeline, profile), and each pipeline's default sweep. */
function groupsOf(records: readonly RunRecord[]): RunRecord[][] {
  const groups = new Map<string, RunRecord[]>();
  const add = (k: string, r: RunRecord) => (groups.get(k) ?? groups.set(k, []).get(k)!).push(r);
  for (const r of records) {
    add(`${r.pipeline}\0profile\0${r.request?.profile ?? ''}`, r);
    if (isDefaultSweep(r)) add(`${r.pipeline}\0default`, r);
  }
  return [...groups.values()];
}

/** Newest first in, so each group's first record is its latest run. */
function rootsOf(records: readonly RunRecord[]): RunRecord[] {
  const roots = new Set<RunRecord>();
  for (const mine of groupsOf(records)) {
    roots.add(mine[0]!);
    const completed = mine.find((r) => r.status === 'completed');
    if (completed) roots.add(completed);
  }
  return [...roots];
}

async function keepWithChildren(store: Store, keep: Set<string>, kind: string, hash: string): Promise<void> {
  keep.add(hash);
  if (kind !== 'figure') return;
  try {
    for (const c of childObjects('figure', await store.getObject(hash))) keep.add(c);
  } catch {
    // a missing or corrupt manifest keeps nothing more; verify reports it
  }
}

/** The task keys and objects the roots reach: the run records' outputs and every kept task record's. */
async function liveSet(store: Store, roots: readonly RunRecord[]): Promise<{ keys: Set<string>; objects: Set<string> }> {
  const keys = new Set<string>();
  const objects = new Set<string>();
  for (const r of roots) {
    for (const t of r.tasks) {
      if (!t.key) continue;
      keys.add(t.key);
      if (t.output) await keepWithChildren(store, objects, t.output.kind, t.output.hash);
    }
  }
  for (const k of keys) {
    const rec = await store.readRecord(k);
    if (rec && rec !== 'corrupt') await keepWithChildren(store, objects, rec.output.kind, rec.output.hash);
  }
  return { keys, objects };
}

async function anyRecord(store: Store): Promise<boolean> {
  for await (const _ of store.allRecordKeys()) return true;
  return false;
}

export async function collectGarbage(store: Store, options: { dryRun?: boolean } = {}): Promise<GcReport> {
  const dryRun = options.dryRun ?? true;
  const held = dryRun ? undefined : await exclusiveStore(store.root);
  try {
    const { records, unreadable } = await readRunRecords(store);
    if (!dryRun && unreadable.length > 0) {
      throw new GcRefusedError(
        `gc --delete refused: ${unreadable.length} run record(s) cannot be read, so what their runs reached cannot be told from garbage:\n${unreadable.map((u) => `  ${u}`).join('\n')}\nrepair or remove them (removing one lets gc delete what only that run reached), then run gc again`,
        store.root,
      );
    }
    if (!dryRun && records.length === 0 && (await anyRecord(store))) {
      throw new GcRefusedError(`gc --delete refused: store ${store.root} has task records but no run records, so nothing proves what is live; run a pipeline first`, store.root);
    }
    const roots = rootsOf(records);
    const live = await liveSet(store, roots);
    const objects = { kept: 0, deleted: 0, bytes: 0 };
    for await (const h of store.allObjectHashes()) {
      if (live.objects.has(h)) {
        objects.kept++;
        continue;
      }
      objects.deleted++;
      objects.bytes += (await stat(store.objectPath(h)).catch(() => ({ size: 0 }))).size;
      if (!dryRun) await store.deleteObject(h);
    }
    const recordCounts = { kept: 0, deleted: 0 };
    const deletedByStep: Record<string, Record<string, number>> = {};
    for await (const k of store.allRecordKeys()) {
      if (live.keys.has(k)) {
        recordCounts.kept++;
        continue;
      }
      recordCounts.deleted++;
      const rec = await store.readRecord(k).catch(() => undefined);
      const [pipeline, step] = rec && rec !== 'corrupt' ? [rec.pipeline, rec.step] : ['(unreadable records)', '-'];
      const perStep = (deletedByStep[pipeline] ??= {});
      perStep[step] = (perStep[step] ?? 0) + 1;
      if (!dryRun) await store.deleteRecord(k);
    }
    const tempFiles = dryRun ? 0 : await store.cleanTmp();
    const describeRun = (r: RunRecord) => `${r.pipeline} ${r.startedAt} (${r.status}${r.request?.profile ? `, profile ${r.request.profile}` : ''}${r.request && !isDefaultSweep(r) ? ', with --set' : ''})`;
    return { dryRun, keptRuns: roots.map(describeRun), unreadableRuns: unreadable, objects, records: recordCounts, deletedByStep, tempFiles };
  } finally {
    await held?.release();
  }
}
