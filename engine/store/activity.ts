/**
 * Who is working on a store: runs announce themselves, gc --delete works alone.
 *
 *   active/run-<token>.<pid>.<pid start>.<space>.<host>   one empty file per run in progress
 *   active/gc.lock           held by gc --delete while it deletes (a lock, locks.ts)
 *
 * A run writes its marker first and then looks for gc.lock; gc takes gc.lock first and then looks
 * for markers. Whichever comes second sees the other, so gc never deletes while a run is between
 * committing an object and recording it: gc refuses, naming the runs, and a run waits for gc to
 * finish (its `onWait` hears who holds the store). A marker of a run that died on this host is
 * removed; one from another space (process-identity.ts: another machine, container or boot) is respected until its owner or a person removes it, because gc
 * must never delete what it cannot prove dead.
 *
 * A marker is an empty file whose name is its owner record (lock-owner.ts): creating it is one
 * atomic step that needs no data block, so a run on a full disk still announces itself and can
 * serve what is cached, and there is no content that could be torn.
 */
import { closeSync, mkdirSync, openSync, readdirSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { StoreBusyError, storeFailure } from './errors.ts';
import { isAbandoned, readLock, tryLock, type HeldLock } from './locks.ts';
import { describeHolder, judgeOwner, LOCK_FORMAT, LOCK_FORMAT_V1, newOwner, type LockHolder, type LockOwner } from './lock-owner.ts';

const POLL_MS = 250;

export interface RunMarker {
  /** remove the marker: call once the run's last record is written (in a finally) */
  end(): Promise<void>;
}

export interface BeginRunOptions {
  /** called once when gc --delete holds the store, with who holds it */
  readonly onWait?: (holder: LockHolder) => void;
  /** stop waiting (the run was cancelled): the marker is removed and the promise rejects */
  readonly signal?: AbortSignal;
}

function activeDir(root: string): string {
  const dir = join(root, 'active');
  mkdirSync(dir, { recursive: true });
  return dir;
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // gone already
  }
}

function markerName(o: LockOwner): string {
  return `run-${o.process}.${o.pid}.${o.pidStart ?? 'x'}.${o.space ?? 'x'}.${o.host}`;
}

/** A space (process-identity.ts) names its pid namespace or a test host; a bare boot id is an older marker's. */
const isSpace = (s: string) => /-ns\d+$/.test(s) || s.startsWith('test-');

/** The owner a marker's name records; undefined for a name that is not a marker's. */
export function markerOwner(name: string, since = ''): LockOwner | undefined {
  if (!name.startsWith('run-')) return undefined;
  const [id, pid, pidStart, where, ...host] = name.slice(4).split('.');
  if (!id || !where || !Number.isInteger(Number(pid)) || host.length === 0) return undefined;
  const start = pidStart === 'x' ? null : Number(pidStart);
  const who = { token: id, host: host.join('.'), pid: Number(pid), pidStart: Number.isFinite(start) ? start : null, since };
  if (isSpace(where)) return { format: LOCK_FORMAT, process: id, space: where, bootId: null, ...who };
  return { format: LOCK_FORMAT_V1, bootId: where === 'x' ? null : where, ...who };
}

/** Announce a run on the store at `root`; waits while gc --delete works on it. */
export async function beginRun(root: string, options: BeginRunOptions = {}): Promise<RunMarker> {
  const dir = activeDir(root);
  const marker = join(dir, markerName(newOwner()));
  try {
    closeSync(openSync(marker, 'wx'));
  } catch (err) {
    throw storeFailure(err, 'announce the run with', marker, root);
  }
  const end = async () => removeQuietly(marker);
  let told = false;
  for (;;) {
    const raw = readLock(join(dir, 'gc.lock'), root);
    if (raw === undefined || isAbandoned(join(dir, 'gc.lock'), raw, root)) return { end };
    if (options.signal?.aborted) {
      await end();
      throw options.signal.reason ?? new Error('run cancelled');
    }
    if (!told) options.onWait?.(describeHolder(raw));
    told = true;
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

/** Runs in progress on the store (markers of dead runs on this host are removed on the way). */
export function activeRuns(root: string): { readonly path: string; readonly holder: LockHolder }[] {
  const dir = activeDir(root);
  const live: { path: string; holder: LockHolder }[] = [];
  for (const f of readdirSync(dir)) {
    const path = join(dir, f);
    const since = (() => {
      try {
        return statSync(path).birthtime.toISOString();
      } catch {
        return '?';
      }
    })();
    const owner = markerOwner(f, since);
    if (!owner) {
      if (f.startsWith('run-')) live.push({ path, holder: { host: '?', pid: 0, since, state: 'unknown' } }); // not ours to judge
      continue;
    }
    const verdict = judgeOwner(owner);
    if (verdict === 'dead') {
      removeQuietly(path);
      continue;
    }
    live.push({ path, holder: { host: owner.host, pid: owner.pid, since, state: verdict } });
  }
  return live;
}

/** Take the store for gc --delete: a StoreBusyError naming the runs (or the other gc) if it is not alone. */
export async function exclusiveStore(root: string): Promise<HeldLock> {
  const attempt = await tryLock(join(activeDir(root), 'gc.lock'), root);
  if (!attempt.held) {
    const h = attempt.holder;
    throw new StoreBusyError(`store ${root}: another gc --delete is running (${h.host} pid ${h.pid} since ${h.since}): wait for it to finish`, root);
  }
  const runs = activeRuns(root);
  if (runs.length > 0) {
    await attempt.held.release();
    const names = runs.map((r) => `  ${r.holder.host} pid ${r.holder.pid} since ${r.holder.since} (${r.path})`).join('\n');
    throw new StoreBusyError(
      `store ${root}: gc --delete refused: ${runs.length} run(s) in progress:\n${names}\nrun gc again when they finish; a marker whose run is gone for good (another host, a crash) may be removed by hand`,
      root,
    );
  }
  return attempt.held;
}
