/**
 * One lock file per task key, so two runs on one store — on one host or many sharing the
 * directory — never compute the same task at once.
 *
 * The lock file appears whole or not at all: its owner record (lock-owner.ts) is written to a
 * private file and hard-linked to the lock's name, which fails if a lock exists. On NFS a
 * retransmitted LINK can report EEXIST for the link it made itself, so an EEXIST is checked
 * against the private file's link count (2: the link is ours). A failed write (a full disk)
 * removes the private file and leaves no lock behind.
 *
 * A lock whose holder is gone is taken over: a holder in our own space judged exactly (gone or
 * reused pid, an earlier boot), a holder elsewhere once its heartbeat has not moved for 30 s
 * of our own watching (heartbeat.ts), an unreadable lock once it has not changed for
 * GARBAGE_GRACE_MS. POSIX has no compare-and-delete, so every removal of a lock whose content has
 * identity T — a takeover or the holder's release — first claims T by creating `<lock>.<T>.claim`
 * exclusively (the same link-based create), then re-reads the lock and unlinks it only if it still
 * holds T. Two reapers of T cannot both pass the claim, and a release races no reaper, so no
 * removal ever deletes a newer lock: takeover and release never leave two holders. A claim whose
 * claimer died inside those three system calls is itself reaped by the same rule. The argument in
 * full is in docs/store.md ("A store many hosts share").
 */
import { linkSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { storeFailure } from './errors.ts';
import { forgetObservation, holdBeat, readProcessRecord, silentFor } from './heartbeat.ts';
import { describeHolder, identityOf, judgeOwner, newOwner, parseOwner, type LockHolder, type LockOwner } from './lock-owner.ts';
import { PROCESS_ID } from './process-identity.ts';

export type { LockHolder } from './lock-owner.ts';

const GARBAGE_GRACE_MS = 2_000;

export interface HeldLock {
  readonly token: string;
  release(): Promise<void>;
}

/** Either the lock, or who holds it (so the run can say what it waits for). */
export type LockAttempt = { readonly held: HeldLock; readonly holder?: undefined } | { readonly held?: undefined; readonly holder: LockHolder };

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}

/** Our private file's link count says whether linking it to the lock's name worked (see top). */
function linkedTwice(own: string): boolean {
  try {
    return statSync(own).nlink === 2;
  } catch {
    return false;
  }
}

/** Exclusively create `path` holding `owner`; false when it exists. Throws a StoreError on any other failure. */
export function createExclusive(path: string, owner: LockOwner, store: string): boolean {
  // named by process and token: cleanTmp removes one whose process is gone
  const own = join(dirname(path), `.${PROCESS_ID}.${owner.token}.owner`);
  try {
    writeFileSync(own, JSON.stringify(owner), { flag: 'wx' });
    try {
      linkSync(own, path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST' && linkedTwice(own)) return true;
      throw err;
    }
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw storeFailure(err, 'create lock', path, store);
  } finally {
    removeQuietly(own); // its name was linked, or it never came to be: either way it goes
  }
}

/** The lock file's text; undefined when it is gone. A directory or loop at its name is a StoreError. */
export function readLock(path: string, store: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw storeFailure(err, 'read lock', path, store);
  }
}

function mtimeOf(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return -1;
  }
}

/**
 * True when the lock at `path` (content `raw`, in the store at `store`) has no live holder. Call
 * it on every poll: the heartbeat and garbage verdicts come from watching over time.
 */
export function isAbandoned(path: string, raw: string, store: string): boolean {
  const owner = parseOwner(raw);
  // the mtime only tells a change apart: it is never compared with a clock
  if (!owner) return silentFor(path, `${identityOf(raw)}@${mtimeOf(path)}`, GARBAGE_GRACE_MS);
  const verdict = judgeOwner(owner);
  if (verdict !== 'remote') return verdict === 'dead';
  // format 1 touched its lock file instead of beating
  if (owner.process === undefined) return silentFor(path, `${owner.token}@${mtimeOf(path)}`);
  const beat = readProcessRecord(store, owner.process);
  if (beat === 'ended') return true; // it exited without releasing (process.exit)
  return silentFor(path, `${owner.token}:${typeof beat === 'string' ? beat : beat.counter}`);
}

/** Remove `path` if it still has `identity`, serialised by the claim on that identity (see top). */
function reap(path: string, identity: string, store: string, depth = 0): void {
  const claim = `${path}.${identity}.claim`;
  if (!createExclusive(claim, newOwner(), store)) {
    // someone else is reaping (or releasing) this identity; if that someone died, clear its claim
    const raw = readLock(claim, store);
    if (raw !== undefined && depth < 4 && isAbandoned(claim, raw, store)) reap(claim, identityOf(raw), store, depth + 1);
    return;
  }
  try {
    const now = readLock(path, store);
    if (now !== undefined && identityOf(now) === identity) unlinkSync(path);
    forgetObservation(path);
  } catch (err) {
    throw storeFailure(err, 'take over lock', path, store);
  } finally {
    removeQuietly(claim);
  }
}

function releaser(path: string, owner: LockOwner, store: string, stopBeat: () => void): HeldLock['release'] {
  let released = false;
  return async () => {
    if (released) return;
    released = true;
    let claimed = false;
    try {
      claimed = createExclusive(`${path}.${owner.token}.claim`, newOwner(), store);
      if (!claimed) return; // a reaper holds our identity: it judged us gone and removes the lock itself
    } catch {
      // no room even for a claim (a full disk): fall back to check-then-unlink, which races only a
      // remote reaper that wrongly judged a live holder stale
    }
    try {
      const now = readLock(path, store);
      if (now !== undefined && identityOf(now) === owner.token) unlinkSync(path);
    } catch {
      // gone meanwhile, or unreadable: it is no longer ours to remove
    } finally {
      if (claimed) removeQuietly(`${path}.${owner.token}.claim`);
      stopBeat();
    }
  };
}

/** Try once (taking over an abandoned lock): the lock, or a description of its live holder. */
export async function tryLock(path: string, store = dirname(dirname(path))): Promise<LockAttempt> {
  let holder: LockHolder = { host: '?', pid: 0, since: '?', state: 'unknown' };
  // beat before the lock exists: a remote judge must never see a lock of ours without a beat
  const stopBeat = holdBeat(store);
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      const owner = newOwner();
      if (createExclusive(path, owner, store)) {
        forgetObservation(path);
        return { held: { token: owner.token, release: releaser(path, owner, store, stopBeat) } };
      }
      const raw = readLock(path, store);
      if (raw === undefined) continue; // released meanwhile: try again
      holder = describeHolder(raw);
      if (!isAbandoned(path, raw, store)) break;
      reap(path, identityOf(raw), store);
    }
  } catch (err) {
    stopBeat();
    throw err;
  }
  stopBeat();
  return { holder };
}

/**
 * Remove the lock or claim at `path` if its holder is provably gone (cleanTmp sweeps locks/ with
 * it): through the claim protocol, never a bare unlink, so it is as safe as a takeover.
 */
export function clearIfAbandoned(path: string, store: string): void {
  const stopBeat = holdBeat(store);
  try {
    const raw = readLock(path, store);
    if (raw !== undefined && isAbandoned(path, raw, store)) reap(path, identityOf(raw), store);
  } finally {
    stopBeat();
  }
}
