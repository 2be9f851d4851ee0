/**
 * Who is working on a store: runs announce themselves, gc --delete works alone.
 *
 *   active/run-<token>.json  one per run in progress (an owner record, lock-owner.ts)
 *   active/gc.lock           held by gc --delete while it deletes
 *
 * A run writes its marker first and then looks for gc.lock; gc takes gc.lock first and then looks
 * for markers. Whichever comes second sees the other, so gc never deletes while a run is between
 * committing an object and recording it: gc refuses, naming the runs, and a run waits for gc to
 * finish (its `onWait` hears who holds the store). A marker of a run that died on this host is
 * removed; one from another host is respected until its owner or a person removes it, because gc
 * must never delete what it cannot prove dead.
 */
import { mkdirSync, readdirSync, unlinkSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { StoreBusyError } from './errors.ts';
import { createExclusive, isAbandoned, readLock, tryLock, type HeldLock } from './locks.ts';
import { describeHolder, judgeOwner, newOwner, parseOwner, type LockHolder } from './lock-owner.ts';

const POLL_MS = 250;
const HEARTBEAT_MS = 5_000;

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

/** Announce a run on the store at `root`; waits while gc --delete works on it. */
export async function beginRun(root: string, options: BeginRunOptions = {}): Promise<RunMarker> {
  const dir = activeDir(root);
  const owner = newOwner();
  const marker = join(dir, `run-${owner.token}.json`);
  createExclusive(marker, owner, root);
  const beat = setInterval(() => {
    const now = new Date();
    try {
      utimesSync(marker, now, now);
    } catch {
      // removed by a person: gc may now run, which is their call
    }
  }, HEARTBEAT_MS);
  beat.unref();
  const end = async () => {
    clearInterval(beat);
    removeQuietly(marker);
  };
  let told = false;
  for (;;) {
    const raw = readLock(join(dir, 'gc.lock'), root);
    if (raw === undefined || isAbandoned(join(dir, 'gc.lock'), raw)) return { end };
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
    if (!f.startsWith('run-')) continue;
    const path = join(dir, f);
    const raw = readLock(path, root);
    if (raw === undefined) continue;
    const owner = parseOwner(raw);
    if (owner && judgeOwner(owner) === 'dead') {
      removeQuietly(path);
      continue;
    }
    live.push({ path, holder: describeHolder(raw) });
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
