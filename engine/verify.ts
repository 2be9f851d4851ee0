/**
 * Trust, checked: re-hash every object; check every task record as plan and the cache would, and
 * its lineage (verify-records.ts); optionally recompute N random tasks from their records and
 * compare the bytes (a non-deterministic node or a corrupted cache shows up here).
 */
import { inProcessExecutor } from './executors/in-process.ts';
import type { TaskJob } from './executors/job.ts';
import { findNode } from './registry/find-node.ts';
import { enterWorkerMode, inWorkerMode, leaveWorkerMode } from './registry/worker-mode.ts';
import type { TaskRecord } from './store/records.ts';
import type { Store } from './store/store.ts';
import { randomSourceFromSeed } from './random.ts';
import { checkRecords, type RecordProblem } from './verify-records.ts';

export interface VerifyReport {
  readonly objects: number;
  readonly corrupt: readonly string[];
  /** store directories that could not be listed: what they hold went unchecked */
  readonly unreadable: readonly string[];
  /** task records checked */
  readonly records: number;
  /** every unreadable or inconsistent record, each naming its key (and task) and what is wrong */
  readonly recordProblems: readonly RecordProblem[];
  /** what could not be checked (not itself damage) */
  readonly notes: readonly string[];
  readonly recomputed: ReadonlyArray<{ readonly task: string; readonly key: string; readonly same: boolean; readonly detail?: string }>;
}

export async function verifyStore(store: Store, options: { recompute?: number; seed?: string; backend?: readonly string[] } = {}): Promise<VerifyReport> {
  let objects = 0;
  const corrupt: string[] = [];
  const unreadable: string[] = [];
  const note = (path: string, why: string) => unreadable.push(`${path} (${why})`);
  for await (const h of store.allObjectHashes(note)) {
    objects++;
    if ((await store.objectState(h)) !== 'ok') corrupt.push(h);
  }
  const checked = await checkRecords(store, note);
  const recomputed: { task: string; key: string; same: boolean; detail?: string }[] = [];
  const n = options.recompute ?? 0;
  if (n > 0) {
    const keys: string[] = [];
    for await (const k of store.allRecordKeys()) keys.push(k);
    keys.sort();
    const random = randomSourceFromSeed(options.seed ?? new Date().toISOString());
    const chosen = [...random.permutation(keys.length)].slice(0, n).map((i) => keys[i]!);
    const executor = inProcessExecutor();
    // recomputing writes objects: announce it, so gc --delete never removes them midway
    const marker = await store.beginRun();
    try {
      for (const key of chosen) {
        const record = await store.readRecord(key);
        if (!record || record === 'corrupt') {
          recomputed.push({ task: key, key, same: false, detail: 'task record is corrupt' });
          continue;
        }
        recomputed.push(await recomputeOne(store, record, executor));
      }
    } finally {
      await executor.close();
      await store.flush();
      await marker.end();
    }
  }
  return { objects, corrupt, unreadable, records: checked.records, recordProblems: checked.problems, notes: checked.notes, recomputed };
}

/** Whether the report shows damage (the CLI exits nonzero). */
export function verifyFailed(r: VerifyReport): boolean {
  return r.corrupt.length > 0 || r.unreadable.length > 0 || r.recordProblems.length > 0 || r.recomputed.some((x) => !x.same);
}

/**
 * Recompute one task from its record, the way a worker would: find the node through the
 * registry at its recorded address, load exactly the recorded backends, compare the bytes.
 */
async function recomputeOne(store: Store, record: TaskRecord, executor: ReturnType<typeof inProcessExecutor>) {
  const base = { task: record.task, key: record.key };
  const address = record.nodeAddress;
  if (!address) return { ...base, same: false, detail: 'the task record names no node module (written by an older featureflow): rerun the pipeline to refresh it' };
  try {
    const wasWorker = inWorkerMode();
    enterWorkerMode(); // importing a script to find its nodes must not start its run
    const node = await findNode(address).finally(() => wasWorker || leaveWorkerMode());
    const backends = Object.fromEntries(
      Object.entries(record.components.backends).map(([kind, identity]) => [kind, { name: identity.replace(/\[.*$/, ''), identity }]),
    );
    const job: TaskJob = {
      node: address,
      step: record.step,
      task: record.task,
      params: record.params,
      paramsCanonical: record.components.params,
      inputs: Object.fromEntries(
        Object.entries(record.components.inputs).map(([name, h]) => {
          const port = node.inputs[name]!;
          const kind = port.kind === 'many' ? port.of.kind : port.kind;
          const hashes = typeof h === 'string' ? [h] : [...h];
          return [name, { kind, hashes, gather: typeof h !== 'string', cells: record.inputCells?.[name] ?? hashes.map(() => ({})) }];
        }),
      ),
      outputKind: record.output.kind,
      storeRoot: store.root,
      fsync: true,
      backends,
    };
    const result = await executor.execute(job, { signal: new AbortController().signal, onProgress() {}, onWarning() {} }, node);
    await Promise.all(result.staged.map((s) => store.commitObject(s.hash, s.tmp)));
    const same = result.hash === record.output.hash;
    return same ? { ...base, same } : { ...base, same, detail: `recomputed output ${result.hash.slice(0, 12)}… differs from stored ${record.output.hash.slice(0, 12)}…` };
  } catch (err) {
    return { ...base, same: false, detail: `recompute failed: ${err instanceof Error ? err.message : String(err)}` };
  }
}
